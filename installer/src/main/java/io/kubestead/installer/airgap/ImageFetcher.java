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

    /** plainHttpRegistries: host:port of registries spoken to over plain http (local mirrors, tests). */
    public ImageFetcher(Set<String> plainHttpRegistries) {
        this.registry = new RegistryClient(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(20)).build(), plainHttpRegistries);
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
                registry.blob(ref, e.getKey(), blob, progress);
                blobs.put(e.getKey(), blob);
            }
            progress.done();
            OciLayoutTar.write(out, reference, manifest.mediaType(), manifest.digest(), manifest.bytes().length, blobs, mtime);
        } finally {
            deleteTree(work);
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
