package io.kubestead.installer.airgap;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Fetches one image (linux/ARCH) from its registry into an OCI image-layout tar, every blob digest verified. */
public final class ImageFetcher {
    private final RegistryClient registry;
    private final int attempts;
    private final Duration backoff;

    /** plainHttpRegistries: host:port of registries spoken to over plain http (local mirrors, tests). */
    public ImageFetcher(Set<String> plainHttpRegistries) {
        this(plainHttpRegistries, 4, Duration.ofSeconds(2));
    }

    /** Each blob is tried up to attempts times (waiting backoff, 2 x backoff, ...) unless the registry says 4xx. */
    public ImageFetcher(Set<String> plainHttpRegistries, int attempts, Duration backoff) {
        this.registry = new RegistryClient(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(20)).build(), plainHttpRegistries);
        this.attempts = attempts;
        this.backoff = backoff;
    }

    /** Writes reference's linux/arch image to out as an OCI layout tar with the given fixed mtime. */
    public void fetch(String reference, String arch, Path out, Instant mtime, ProgressListener progress) throws IOException {
        ImageReference ref = ImageReference.parse(reference);
        RegistryClient.Manifest manifest = registry.platformManifest(ref, arch);
        JsonNode json = manifest.json();
        SortedMap<String, Long> wanted = new TreeMap<>();
        wanted.put(json.path("config").path("digest").asText(), json.path("config").path("size").asLong());
        for (JsonNode layer : json.path("layers")) {
            wanted.put(layer.path("digest").asText(), layer.path("size").asLong());
        }
        if (wanted.containsKey("")) {
            throw new IOException(reference + ": manifest " + manifest.digest() + " is not an image manifest (no config/layers)");
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path work = Files.createTempDirectory(out.toAbsolutePath().getParent(), ".image-");
        try {
            SortedMap<String, Path> blobs = new TreeMap<>();
            Path manifestFile = work.resolve("manifest");
            Files.write(manifestFile, manifest.bytes());
            blobs.put(manifest.digest(), manifestFile);
            progress.start(reference, wanted.values().stream().mapToLong(Long::longValue).sum());
            for (var e : wanted.entrySet()) {
                Path blob = work.resolve(e.getKey().replace(':', '-'));
                blob(ref, e.getKey(), blob, progress);
                blobs.put(e.getKey(), blob);
            }
            progress.done();
            OciLayoutTar.write(out, reference, manifest.mediaType(), manifest.digest(), manifest.bytes().length, blobs, mtime);
        } finally {
            deleteTree(work);
        }
    }

    /** A cut-short or corrupted transfer is retried; a missing blob (4xx) is not. */
    private void blob(ImageReference ref, String digest, Path target, ProgressListener progress) throws IOException {
        for (int i = 1; ; i++) {
            try {
                registry.blob(ref, digest, target, progress);
                return;
            } catch (IOException e) {
                boolean permanent = e instanceof RegistryClient.HttpStatusException h && h.permanent();
                if (permanent || i >= attempts) {
                    throw i > 1 ? new IOException(e.getMessage() + " (after " + i + " attempts)", e) : e;
                }
            }
            try {
                Thread.sleep(backoff.multipliedBy(i).toMillis());
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted fetching " + ref.full(), ie);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
