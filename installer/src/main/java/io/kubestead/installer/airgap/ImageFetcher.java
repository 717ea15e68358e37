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

    /**
     * Writes reference's linux/arch image to out as an OCI layout tar with the given fixed mtime. A failed transfer
     * (cut short, wrong bytes) fetches the image again, up to the attempts; a 4xx answer is final.
     */
    public void fetch(String reference, String arch, Path out, Instant mtime, ProgressListener progress) throws IOException {
        ImageReference ref = ImageReference.parse(reference);
        for (int i = 1; ; i++) {
            try {
                fetchOnce(ref, arch, out, mtime, progress);
                return;
            } catch (IOException e) {
                boolean permanent = e instanceof RegistryClient.RegistryException r && r.permanent;
                if (permanent || i >= attempts) {
                    throw i > 1 ? new IOException(e.getMessage() + " (after " + i + " attempts)", e) : e;
                }
            }
            try {
                Thread.sleep(backoff.multipliedBy(i).toMillis());
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted fetching " + reference, ie);
            }
        }
    }

    private void fetchOnce(ImageReference ref, String arch, Path out, Instant mtime, ProgressListener progress) throws IOException {
        RegistryClient.Manifest manifest = registry.platformManifest(ref, arch);
        JsonNode json = manifest.json();
        SortedMap<String, Long> blobs = new TreeMap<>();
        blobs.put(json.path("config").path("digest").asText(), json.path("config").path("size").asLong(-1));
        for (JsonNode layer : json.path("layers")) {
            blobs.put(layer.path("digest").asText(), layer.path("size").asLong(-1));
        }
        if (blobs.containsKey("") || blobs.containsValue(-1L)) {
            throw new RegistryClient.RegistryException(ref.full() + ": manifest " + manifest.digest()
                    + " is not an image manifest (config/layers with digest and size)", true);
        }
        progress.start(ref.full(), blobs.values().stream().mapToLong(Long::longValue).sum());
        OciLayoutTar.write(out, ref.full(), manifest.mediaType(), manifest.digest(), manifest.bytes(), blobs,
                (digest, size, sink) -> registry.blob(ref, digest, size, sink, progress), mtime);
        progress.done();
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
