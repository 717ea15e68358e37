package io.kubestead.agent.airgap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.HostException;
import io.kubestead.agent.host.ProcessRunner;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.progress.ConsoleMeter;
import io.kubestead.agent.progress.Meter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Imports hand-built OCI layout tars into a real containerd started for the test. */
class ImageImportTest {
    @TempDir
    Path dir;

    @Test
    void importsEachImageIntoK8sIoAndSkipsThemOnRerun() throws Exception {
        String hello = "registry.test/kubestead/hello:v1";
        String pause = "registry.test/kubestead/pause:3.10";
        Path bundleDir = new FakeBundle()
                .image(hello, "images/hello.tar", OciImageTar.build(hello, "hello.txt", "hello\n"))
                .image(pause, "images/pause.tar", OciImageTar.build(pause, "pause.txt", "pause\n"))
                .writeTo(dir.resolve("bundle"));
        // the host is this machine (commands really run); the bundle lives in the test's directory
        RootedHost host = new RootedHost("local", Path.of("/"), new ProcessRunner(), new ActionLog());
        ExtractedBundle bundle = ExtractedBundle.load(host, bundleDir.toString()).orElseThrow();
        try (TestContainerd containerd = new TestContainerd(dir)) {
            ImageImport importer = new ImageImport(containerd.ctrPrefix());
            List<String> progress = new ArrayList<>();

            var first = importer.run(host, bundle, ConsoleMeter.lines(progress::add, "images", Meter.Unit.ITEMS, 10));

            assertEquals(List.of(hello, pause), first.imported());
            assertEquals(List.of("images   0% 0/2 " + hello + ": importing", "images  50% 1/2 " + pause + ": importing",
                    "images 100% 2/2"), progress);
            String listed = run(containerd.ctr("-n", "k8s.io", "images", "ls", "-q"));
            assertEquals(List.of(hello, pause), listed.lines().sorted().toList());
            // every blob arrived: ctr reports the image complete, not missing content
            String check = run(containerd.ctr("-n", "k8s.io", "images", "check"));
            assertTrue(check.lines().filter(l -> l.startsWith("registry.test/")).allMatch(l -> l.contains("complete")), check);

            progress.clear();
            var second = importer.run(host, bundle, ConsoleMeter.lines(progress::add, "images", Meter.Unit.ITEMS, 10));
            assertEquals(List.of(), second.imported());
            assertEquals(List.of(hello, pause), second.present());
            assertEquals("images   0% 0/2 " + hello + ": already in containerd", progress.get(0));
        }
    }

    @Test
    void namesTheImageContainerdRefuses() throws Exception {
        String bad = "registry.test/kubestead/broken:v1";
        Path bundleDir = new FakeBundle().image(bad, "images/broken.tar", "not a tar".getBytes(StandardCharsets.UTF_8))
                .writeTo(dir.resolve("bundle"));
        RootedHost host = new RootedHost("local", Path.of("/"), new ProcessRunner(), new ActionLog());
        ExtractedBundle bundle = ExtractedBundle.load(host, bundleDir.toString()).orElseThrow();
        try (TestContainerd containerd = new TestContainerd(dir)) {
            var e = assertThrows(HostException.class, () -> new ImageImport(containerd.ctrPrefix()).run(host, bundle, Meter.NONE));
            assertTrue(e.getMessage().startsWith("containerd could not import " + bad + " from " + bundleDir + "/images/broken.tar"),
                    e.getMessage());
        }
    }

    private static String run(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
