package io.kubestead.installer.airgap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test image pushed with jib-core to Debian's docker-registry on loopback, fetched back as an OCI layout tar,
 * checked entry by entry and imported by a real containerd.
 */
class ImageFetchTest {
    private static final Instant MTIME = Instant.parse("2026-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    private static LocalRegistry registry;
    private static String single;
    private static String multi;

    @TempDir
    Path dir;

    @BeforeAll
    static void pushTestImages() throws Exception {
        registry = new LocalRegistry(Files.createDirectories(shared.resolve("registry")));
        single = registry.hostPort + "/kubestead-test/tiny:1.0";
        multi = registry.hostPort + "/kubestead-test/multi:1.0";
        TestImages.push(single, Set.of(new Platform("amd64", "linux")), ImageFormat.OCI, shared.resolve("jib"));
        LinkedHashSet<Platform> both = new LinkedHashSet<>(List.of(new Platform("amd64", "linux"), new Platform("arm64", "linux")));
        // jib-core builds a manifest list only in Docker format: this also covers the Docker media types.
        TestImages.push(multi, both, ImageFormat.Docker, shared.resolve("jib"));
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void fetchesAnOciLayoutTarWithTheReferenceAndVerifiedBlobs() throws IOException {
        Path out = dir.resolve("images/tiny.tar");
        fetcher().fetch(single, "amd64", out, MTIME, ProgressListener.NONE);
        Map<String, byte[]> entries = read(out);
        assertEquals(List.of("blobs/", "blobs/sha256/"), entries.keySet().stream().filter(n -> n.endsWith("/")).toList());
        assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", new String(entries.get("oci-layout"), StandardCharsets.UTF_8));
        JsonNode index = JSON.readTree(entries.get("index.json"));
        JsonNode desc = index.get("manifests").get(0);
        assertEquals(single, desc.get("annotations").get("org.opencontainers.image.ref.name").asText());
        String manifestDigest = desc.get("digest").asText();
        JsonNode manifest = JSON.readTree(entries.get("blobs/sha256/" + manifestDigest.substring(7)));
        assertEquals(manifest.get("layers").size() + 2, entries.keySet().stream().filter(n -> n.startsWith("blobs/sha256/") && !n.endsWith("/")).count(),
                "manifest, config and every layer");
        for (var e : entries.entrySet()) {
            if (e.getKey().startsWith("blobs/sha256/") && !e.getKey().endsWith("/")) {
                assertEquals(e.getKey().substring("blobs/sha256/".length()), DownloaderTest.sha(e.getValue()), e.getKey());
            }
        }
        assertEquals(entries.get("blobs/sha256/" + manifestDigest.substring(7)).length, desc.get("size").asLong());
    }

    @Test
    void sameImageFetchedTwiceGivesIdenticalBytes() throws IOException {
        fetcher().fetch(single, "amd64", dir.resolve("a.tar"), MTIME, ProgressListener.NONE);
        fetcher().fetch(single, "amd64", dir.resolve("b.tar"), MTIME, ProgressListener.NONE);
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.tar")), Files.readAllBytes(dir.resolve("b.tar")));
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(dir.resolve("a.tar")))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                assertEquals(MTIME, e.getModTime().toInstant(), e.getName());
                assertEquals(0, e.getLongUserId());
            }
        }
    }

    @Test
    void aManifestListIsResolvedToTheRequestedArchitecture() throws IOException {
        fetcher().fetch(multi, "amd64", dir.resolve("amd64.tar"), MTIME, ProgressListener.NONE);
        fetcher().fetch(multi, "arm64", dir.resolve("arm64.tar"), MTIME, ProgressListener.NONE);
        JsonNode amd = configOf(read(dir.resolve("amd64.tar")));
        JsonNode arm = configOf(read(dir.resolve("arm64.tar")));
        assertEquals("amd64", amd.get("architecture").asText());
        assertEquals("arm64", arm.get("architecture").asText());
        IOException e = assertThrows(IOException.class,
                () -> fetcher().fetch(multi, "s390x", dir.resolve("x.tar"), MTIME, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("no linux/s390x image"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.tar")));
    }

    @Test
    void aBlobWhoseBytesDoNotMatchItsDigestIsRefused() throws IOException {
        // A fake registry: the manifest names a config digest, the blob endpoint serves other bytes.
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        String configDigest = "sha256:" + DownloaderTest.sha(config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        try (LocalFiles fake = new LocalFiles()) {
            // Same length, other bytes: the digest check refuses it (after retrying, as a corrupted transfer).
            fake.put("/v2/evil/image/manifests/1", manifest)
                    .put("/v2/evil/image/blobs/" + configDigest, "{\"architecture\":\"arm64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8));
            String host = fake.base().substring("http://".length());
            Path out = dir.resolve("images/image.tar");
            Files.createDirectories(out.getParent());
            IOException e = assertThrows(IOException.class, () -> new ImageFetcher(Set.of(host), 2, Duration.ofMillis(10))
                    .fetch(host + "/evil/image:1", "amd64", out, MTIME, ProgressListener.NONE));
            assertTrue(e.getMessage().contains("blob digest mismatch") && e.getMessage().contains(configDigest)
                    && e.getMessage().contains("after 2 attempts"), e.getMessage());
            assertEquals(0, Files.list(out.getParent()).count(), "nothing left in images/");
            // Longer than the manifest says: refused before it can overrun its tar entry.
            fake.put("/v2/evil/image/blobs/" + configDigest, (new String(config, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8));
            e = assertThrows(IOException.class, () -> new ImageFetcher(Set.of(host), 1, Duration.ofMillis(10))
                    .fetch(host + "/evil/image:1", "amd64", out, MTIME, ProgressListener.NONE));
            assertTrue(e.getMessage().contains("blob size mismatch") && e.getMessage().contains("larger than its manifest says"), e.getMessage());
            assertEquals(0, Files.list(out.getParent()).count(), "nothing left in images/");
        }
    }

    @Test
    void aMissingBlobIsNotRetried() throws IOException {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        String configDigest = "sha256:" + DownloaderTest.sha(config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"digest\":\"" + configDigest + "\",\"size\":2},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        try (LocalFiles fake = new LocalFiles()) {
            fake.put("/v2/gone/image/manifests/1", manifest);
            String host = fake.base().substring("http://".length());
            IOException e = assertThrows(IOException.class, () -> new ImageFetcher(Set.of(host), 3, Duration.ofMillis(10))
                    .fetch(host + "/gone/image:1", "amd64", dir.resolve("i.tar"), MTIME, ProgressListener.NONE));
            assertTrue(e.getMessage().contains("HTTP 404") && !e.getMessage().contains("attempts"), e.getMessage());
            assertEquals(2, fake.requests.get(), "manifest once, blob once");
        }
    }

    @Test
    void aRealContainerdImportsTheTar() throws Exception {
        Path out = dir.resolve("tiny.tar");
        fetcher().fetch(single, "amd64", out, MTIME, ProgressListener.NONE);
        try (LocalContainerd containerd = new LocalContainerd(Files.createDirectories(dir.resolve("containerd")))) {
            LocalContainerd.Result imported = containerd.ctr("-n", "k8s.io", "images", "import", out.toString());
            assertEquals(0, imported.exit(), imported.output());
            LocalContainerd.Result ls = containerd.ctr("-n", "k8s.io", "images", "ls", "-q");
            assertEquals(0, ls.exit(), ls.output());
            assertTrue(ls.output().lines().anyMatch(single::equals), ls.output());
            LocalContainerd.Result check = containerd.ctr("-n", "k8s.io", "images", "check");
            assertTrue(check.output().contains(single) && check.output().contains("complete"), check.output());
        }
    }

    private ImageFetcher fetcher() {
        return new ImageFetcher(Set.of(registry.hostPort));
    }

    private static JsonNode configOf(Map<String, byte[]> entries) throws IOException {
        JsonNode index = JSON.readTree(entries.get("index.json"));
        String m = index.get("manifests").get(0).get("digest").asText().substring(7);
        String c = JSON.readTree(entries.get("blobs/sha256/" + m)).get("config").get("digest").asText().substring(7);
        return JSON.readTree(entries.get("blobs/sha256/" + c));
    }

    /** Entries in tar order (a LinkedHashMap would hide reordering; the TreeMap check below asserts sorting). */
    static Map<String, byte[]> read(Path tarFile) throws IOException {
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(tarFile); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                entries.put(e.getName(), tar.readAllBytes());
            }
        }
        assertEquals(List.copyOf(new TreeMap<>(entries).keySet()), List.copyOf(entries.keySet()), "entries sorted");
        assertNotEquals(0, entries.size());
        return entries;
    }
}
