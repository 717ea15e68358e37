package io.kubestead.installer.airgap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.spec.SpecException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingBuilderTest {
    @TempDir
    Path dir;
    private LocalFiles files;
    private Path manifestFile;

    @BeforeEach
    void setUp() throws IOException {
        byte[] release;
        try (InputStream in = getClass().getResourceAsStream("/airgap/release.tar.gz")) {
            release = in.readAllBytes();
        }
        files = new LocalFiles()
                .put("/kubeadm", "kubeadm test binary\n".getBytes(StandardCharsets.UTF_8))
                .put("/kubelet.service", "kubelet.service test unit\n".getBytes(StandardCharsets.UTF_8))
                .put("/release.tar.gz", release);
        manifestFile = manifest(files.base());
        Path agent = Files.createDirectories(dir.resolve("agent-dist"));
        Files.writeString(agent.resolve("kubestead-agent-0.1.0-linux-amd64.tar.gz"), "agent bundle");
        Files.writeString(agent.resolve("kubestead-agent-0.1.0-linux-arm64.tar.gz"), "other arch");
        Files.writeString(agent.resolve("SHA256SUMS"), "sums");
    }

    @AfterEach
    void stop() {
        files.close();
    }

    @Test
    void buildsTheLayoutWithModesAndExtractedMembers() throws IOException {
        StagedBundle staged = builder().build(AirgapManifest.load(manifestFile), dir, dir.resolve("out/staging"));
        Path s = staged.dir();
        assertEquals(Set.of("agent/SHA256SUMS", "agent/kubestead-agent-0.1.0-linux-amd64.tar.gz", "bin/kubeadm",
                "containerd/bin/containerd", "containerd/bin/ctr", "manifests/flannel.yaml", "systemd/kubelet.service"),
                tree(s).keySet());
        assertEquals("kubeadm test binary\n", Files.readString(s.resolve("bin/kubeadm")));
        assertEquals("#!/bin/sh\necho ctr-test\n", Files.readString(s.resolve("containerd/bin/ctr")));
        assertEquals("rwxr-xr-x", mode(s.resolve("bin/kubeadm")));
        assertEquals("rwxr-xr-x", mode(s.resolve("containerd/bin/containerd")), "extract members default to 0755");
        assertEquals("rw-r--r--", mode(s.resolve("systemd/kubelet.service")));
        assertEquals("rw-r--r--", mode(s.resolve("agent/SHA256SUMS")));
        String flannel = Files.readString(s.resolve("manifests/flannel.yaml"));
        assertTrue(flannel.contains("10.244.0.0/16") && flannel.contains("docker.io/flannel/flannel:v0.26.1"), flannel);
        assertFalse(flannel.contains("${"), "template fully rendered");
        assertEquals("kubestead-airgap-1.33.4-linux-amd64.tar.zst", staged.bundleFileName(".tar.zst"));
        assertEquals(1, Files.list(dir.resolve("out")).count(), "no work directory left beside the staging directory");
    }

    @Test
    void twoBuildsGiveIdenticalFilesModesAndTimes() throws IOException {
        AirgapManifest m = AirgapManifest.load(manifestFile);
        Path a = builder().build(m, dir, dir.resolve("a")).dir();
        Path b = builder().build(m, dir, dir.resolve("b")).dir();
        Map<String, String> ta = tree(a);
        assertEquals(ta, tree(b));
        for (String p : ta.keySet()) {
            assertArrayEquals(Files.readAllBytes(a.resolve(p)), Files.readAllBytes(b.resolve(p)), p);
            assertEquals(Files.getLastModifiedTime(a.resolve(p)), Files.getLastModifiedTime(b.resolve(p)), p);
        }
        assertEquals(m.createdInstant(), Files.getLastModifiedTime(a.resolve("bin/kubeadm")).toInstant());
    }

    @Test
    void aBadChecksumFailsTheBuildAndLeavesNoStagingDirectory() throws IOException {
        files.put("/kubeadm", "tampered\n".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class,
                () -> builder().build(AirgapManifest.load(manifestFile), dir, dir.resolve("out/staging")));
        assertTrue(e.getMessage().contains("checksum mismatch for " + files.base() + "/kubeadm"), e.getMessage());
        assertEquals(0, Files.list(dir.resolve("out")).count(), "nothing half-built left");
    }

    @Test
    void aMissingTarballMemberIsNamed() throws IOException {
        Files.writeString(manifestFile, Files.readString(manifestFile).replace("member: bin/ctr", "member: bin/ctr2"));
        IOException e = assertThrows(IOException.class,
                () -> builder().build(AirgapManifest.load(manifestFile), dir, dir.resolve("out")));
        assertTrue(e.getMessage().contains("no member [bin/ctr2]"), e.getMessage());
    }

    @Test
    void refusesANonEmptyOutputAndAMissingAgentBundle() throws IOException {
        Files.createDirectories(dir.resolve("full"));
        Files.writeString(dir.resolve("full/x"), "x");
        AirgapManifest m = AirgapManifest.load(manifestFile);
        assertTrue(assertThrows(SpecException.class, () -> builder().build(m, dir, dir.resolve("full")))
                .getMessage().contains("not an empty directory"));
        Files.delete(dir.resolve("agent-dist/SHA256SUMS"));
        assertTrue(assertThrows(SpecException.class, () -> builder().build(m, dir, dir.resolve("out")))
                .getMessage().contains("mvn -pl installer -am package"));
    }

    private StagingBuilder builder() {
        return new StagingBuilder(new Downloader(HttpClient.newHttpClient(), 2, Duration.ofMillis(10)),
                new ImageFetcher(Set.of()), ProgressListener.NONE);
    }

    private Path manifest(String base) throws IOException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("/airgap/test-bundle.yaml")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path f = dir.resolve("test-bundle.yaml");
        Files.writeString(f, text.replace("${BASE}", base));
        return f;
    }

    /** Relative path of every regular file to its permissions. */
    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), mode(p));
            }
        }
        return out;
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
