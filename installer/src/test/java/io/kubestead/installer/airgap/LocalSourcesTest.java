package io.kubestead.installer.airgap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bundle built from local files and local OCI layout tars, each checked against its pin; the image imports. */
class LocalSourcesTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    @TempDir
    Path dir;
    private Path kubeadm;
    private String kubeadmSum;

    @BeforeEach
    void setUp() throws IOException {
        kubeadm = dir.resolve("cache/kubeadm");
        Files.createDirectories(kubeadm.getParent());
        Files.writeString(kubeadm, "a locally built kubeadm\n");
        kubeadmSum = sha(Files.readAllBytes(kubeadm));
        Path agent = Files.createDirectories(dir.resolve("agent-dist"));
        Files.writeString(agent.resolve("kubestead-agent-0.1.0-linux-amd64.tar.gz"), "agent bundle");
        Files.writeString(agent.resolve("SHA256SUMS"), "sums");
    }

    @Test
    void aLocalFileAndALocalImageGoIntoTheBundleUnderTheBundlesReference() throws Exception {
        Layout image = layout(dir.resolve("cache/pause.tar"), "hello\n");
        StagedBundle staged = build(manifest(kubeadm, kubeadmSum, image.tar(), image.digest()));
        Path s = staged.dir();
        assertArrayEquals(Files.readAllBytes(kubeadm), Files.readAllBytes(s.resolve("bin/kubeadm")));
        assertEquals("rwxr-xr-x", StagingBuilderTest.mode(s.resolve("bin/kubeadm")));
        Map<String, byte[]> tar = ImageFetchTest.read(s.resolve("images/pause.tar"));
        String index = new String(tar.get("index.json"), StandardCharsets.UTF_8);
        assertTrue(index.contains("\"io.containerd.image.name\":\"registry.k8s.io/pause:3.10\""), index);
        assertTrue(index.contains(image.digest()), index);
        assertFalse(index.contains("example.test/ignored"), index);
        try (LocalContainerd containerd = new LocalContainerd(Files.createDirectories(dir.resolve("containerd")))) {
            LocalContainerd.Result imported = containerd.ctr("-n", "k8s.io", "images", "import", s.resolve("images/pause.tar").toString());
            assertEquals(0, imported.exit(), imported.output());
            LocalContainerd.Result ls = containerd.ctr("-n", "k8s.io", "images", "ls", "-q");
            assertEquals("registry.k8s.io/pause:3.10", ls.output().strip(), ls.output());
        }
    }

    @Test
    void aLocalFileWithAnotherSumOrNotARegularFileIsRefusedAndLeavesNothing() throws IOException {
        Layout image = layout(dir.resolve("cache/pause.tar"), "hello\n");
        IOException sum = assertThrows(IOException.class, () -> build(manifest(kubeadm, "b".repeat(64), image.tar(), image.digest())));
        assertTrue(sum.getMessage().contains("checksum mismatch for " + kubeadm), sum.getMessage());
        IOException dev = assertThrows(IOException.class, () -> build(manifest(Path.of("/dev/zero"), kubeadmSum, image.tar(), image.digest())));
        assertTrue(dev.getMessage().contains("/dev/zero is not a regular file"), dev.getMessage());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void anImageWithoutThePinnedManifestIsRefused() throws IOException {
        Layout image = layout(dir.resolve("cache/pause.tar"), "hello\n");
        Layout other = layout(dir.resolve("cache/other.tar"), "another image\n");
        IOException e = assertThrows(IOException.class, () -> build(manifest(kubeadm, kubeadmSum, image.tar(), other.digest())));
        assertTrue(e.getMessage().contains("has no blob " + other.digest() + " (the pinned manifest digest)"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void aBlobWhoseBytesAreNotItsDigestIsRefused() throws IOException {
        Layout image = layout(dir.resolve("cache/pause.tar"), "hello\n");
        // the same tar with one byte of the layer changed: its name no longer matches its bytes
        byte[] bytes = Files.readAllBytes(image.tar());
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("hello\n");
        assertTrue(at > 0);
        bytes[at] = 'j';
        Files.write(image.tar(), bytes);
        IOException e = assertThrows(IOException.class, () -> build(manifest(kubeadm, kubeadmSum, image.tar(), image.digest())));
        assertTrue(e.getMessage().contains("does not have the digest its name says"), e.getMessage());
    }

    @Test
    void aBlobTheManifestListsButTheTarLacksIsRefused() throws IOException {
        Layout image = layout(dir.resolve("cache/pause.tar"), "hello\n");
        Layout without = rewrite(image, dir.resolve("cache/without.tar"), image.layer());
        IOException e = assertThrows(IOException.class, () -> build(manifest(kubeadm, kubeadmSum, without.tar(), image.digest())));
        assertTrue(e.getMessage().contains("blob " + image.layer() + " (") && e.getMessage().contains("is missing"), e.getMessage());
    }

    private StagedBundle build(Path manifest) throws IOException {
        return new StagingBuilder(new Downloader(HttpClient.newHttpClient(), 1, Duration.ofMillis(1)),
                new ImageFetcher(Set.of()), ProgressListener.NONE).build(AirgapManifest.load(manifest), dir, dir.resolve("out"));
    }

    private Path manifest(Path file, String sum, Path image, String digest) throws IOException {
        Path f = dir.resolve("bundle.yaml");
        Files.writeString(f, """
                kubernetesVersion: "1.34.4"
                arch: amd64
                created: "2026-01-01T00:00:00Z"
                binaries:
                  - name: kubeadm
                    file: %s
                    sha256: "%s"
                    path: bin/kubeadm
                images:
                  - ref: registry.k8s.io/pause:3.10
                    file: %s
                    digest: "%s"
                agent: agent-dist
                """.formatted(file, sum, image, digest));
        return f;
    }

    /** An OCI layout tar whose index names example.test/ignored:1, with one layer holding /hello.txt. */
    record Layout(Path tar, String digest, String layer, Map<String, byte[]> blobs, byte[] manifest) {
    }

    static Layout layout(Path out, String hello) throws IOException {
        ByteArrayOutputStream layerBytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(layerBytes)) {
            byte[] content = hello.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("hello.txt");
            e.setSize(content.length);
            e.setMode(0100644);
            t.putArchiveEntry(e);
            t.write(content);
            t.closeArchiveEntry();
        }
        byte[] layer = layerBytes.toByteArray();
        String layerDigest = "sha256:" + sha(layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Entrypoint\":[\"/hello\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layerDigest + "\"]}}").getBytes(StandardCharsets.UTF_8);
        String configDigest = "sha256:" + sha(config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                + "\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> blobs = new TreeMap<>(Map.of(configDigest, config, layerDigest, layer));
        Layout l = new Layout(out, "sha256:" + sha(manifest), layerDigest, blobs, manifest);
        return rewrite(l, out, null);
    }

    /** Writes l's image to out, leaving out the blob named by omit (when not null). */
    static Layout rewrite(Layout l, Path out, String omit) throws IOException {
        Files.createDirectories(out.getParent());
        TreeMap<String, Long> sizes = new TreeMap<>();
        l.blobs().forEach((d, b) -> {
            if (!d.equals(omit)) {
                sizes.put(d, (long) b.length);
            }
        });
        OciLayoutTar.write(out, "example.test/ignored:1", "application/vnd.oci.image.manifest.v1+json", l.digest(),
                l.manifest(), sizes, (digest, size, sink) -> sink.write(l.blobs().get(digest)), T);
        return new Layout(out, l.digest(), l.layer(), l.blobs(), l.manifest());
    }

    static String sha(byte[] b) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
