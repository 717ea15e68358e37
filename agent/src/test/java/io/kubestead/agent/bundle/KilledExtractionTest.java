package io.kubestead.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent JVM ({@link ExtractMain}) signalled half-way through an extraction: SIGTERM (what systemd and kill
 * send) runs the shutdown hook, which removes the staging directory; SIGKILL cannot be caught, and the next
 * extraction beside the same target removes what it left.
 */
class KilledExtractionTest {
    @TempDir
    Path tmp;

    private final KeyPair key = TestBundles.key();
    private Path bundle;
    private Path parent;

    @BeforeEach
    void bundle() throws Exception {
        Path staging = Files.createDirectories(tmp.resolve("staging"));
        TestBundles.write(staging, "bin/kubeadm", "kubeadm".getBytes(StandardCharsets.UTF_8), true);
        TestBundles.write(staging, "images/big.tar", new byte[32 << 20], false);
        bundle = tmp.resolve("b.tar.zst");
        new BundleWriter(Compression.ZSTD).write(staging, new BundleWriter.Metadata("1.33.4", "amd64", TestBundles.CREATED,
                List.of()), key.getPrivate(), bundle);
        StagingDirectory.delete(staging);
        parent = Files.createDirectories(tmp.resolve("var"));
    }

    /** Starts ExtractMain on the bundle into var/bundle and returns once it is half-way, the staging directory in use. */
    private Process halfway() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"),
                ExtractMain.class.getName(), bundle.toString(), parent.resolve("bundle").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("HALF", out.readLine());
        List<String> staged = TestBundles.names(parent);
        assertEquals(1, staged.size(), staged.toString());
        assertTrue(staged.get(0).startsWith(".bundle.extract-"), staged.toString());
        assertTrue(Files.exists(parent.resolve(staged.get(0)).resolve("partial")), "a file is being written");
        return p;
    }

    @Test
    void sigtermRemovesTheStagingDirectory() throws Exception {
        Process p = halfway();
        p.destroy();
        assertEquals(143, p.waitFor(), "exited on SIGTERM");
        assertEquals(List.of(), TestBundles.names(parent), "no staging directory and no target");
    }

    @Test
    void afterSigkillTheNextExtractionRemovesWhatWasLeft() throws Exception {
        Process p = halfway();
        p.destroyForcibly();
        assertEquals(137, p.waitFor());
        List<String> left = TestBundles.names(parent);
        assertEquals(1, left.size(), "SIGKILL cannot be caught: " + left);

        new BundleReader(key.getPublic(), false, BundleProgress.NONE).extract(bundle, parent.resolve("bundle"));
        assertEquals(List.of("bundle"), TestBundles.names(parent));
        assertEquals(32 << 20, Files.size(parent.resolve("bundle/images/big.tar")));
    }
}
