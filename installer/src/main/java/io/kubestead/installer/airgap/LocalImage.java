package io.kubestead.installer.airgap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubestead.agent.bundle.BoundedTarInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * An image from a local OCI image-layout tar (a manifest's {@code {ref, file, digest}}): the tar is read once, each
 * blob kept in a work directory only if its bytes have the digest its name says; then the image manifest with the
 * pinned digest, its config and its layers (sizes as the manifest says) are written as the bundle's layout tar under
 * the bundle's reference. Whatever the tar's own index names, only the pinned manifest and what it lists are taken.
 */
final class LocalImage {
    /** A manifest, index or config is small; a layer may be large (the kube-apiserver's is about 100 MiB). */
    static final int MAX_JSON_BYTES = 4 << 20;
    private static final Pattern BLOB = Pattern.compile("(?:\\./)?blobs/sha256/([0-9a-f]{64})");
    private static final Pattern DIGEST = Pattern.compile("sha256:([0-9a-f]{64})");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.Set<String> IMAGE_MANIFESTS = java.util.Set.of(
            "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json");

    private LocalImage() {
    }

    static void copy(AirgapManifest.Image image, Path out, Instant mtime, Path work) throws IOException {
        Path tar = Path.of(image.file());
        String what = "image " + image.ref() + " (" + tar + ")";
        if (!Files.isRegularFile(tar)) {
            throw new IOException(what + ": not a regular file; build the OCI layout tar first");
        }
        Path blobs = Files.createTempDirectory(work, "image-");
        try {
            unpackBlobs(tar, blobs, what);
            String hex = image.digest().substring("sha256:".length());
            Path manifestFile = blobs.resolve(hex);
            if (!Files.isRegularFile(manifestFile)) {
                throw new IOException(what + ": has no blob " + image.digest() + " (the pinned manifest digest);"
                        + " rebuild the image or pin the digest its index.json names");
            }
            byte[] manifest = readSmall(manifestFile, what);
            JsonNode json = JSON.readTree(manifest);
            String mediaType = json.path("mediaType").asText("application/vnd.oci.image.manifest.v1+json");
            if (!IMAGE_MANIFESTS.contains(mediaType) || !json.path("config").isObject() || !json.path("layers").isArray()) {
                throw new IOException(what + ": " + image.digest() + " is not a single-platform image manifest");
            }
            SortedMap<String, Long> needed = new TreeMap<>();
            need(needed, json.path("config"), blobs, what);
            for (JsonNode layer : json.path("layers")) {
                need(needed, layer, blobs, what);
            }
            OciLayoutTar.write(out, image.ref(), mediaType, image.digest(), manifest, needed,
                    (digest, size, sink) -> copyBlob(blobs.resolve(digest.substring("sha256:".length())), digest, size, sink),
                    mtime);
        } finally {
            ImageFetcher.deleteTree(blobs);
        }
    }

    private static void need(SortedMap<String, Long> needed, JsonNode desc, Path blobs, String what) throws IOException {
        String digest = desc.path("digest").asText("");
        long size = desc.path("size").asLong(-1);
        Matcher m = DIGEST.matcher(digest);
        if (!m.matches() || size < 0) {
            throw new IOException(what + ": a descriptor in the manifest lacks a sha256 digest or a size");
        }
        Path blob = blobs.resolve(m.group(1));
        if (!Files.isRegularFile(blob) || Files.size(blob) != size) {
            throw new IOException(what + ": blob " + digest + " (" + size + " bytes) that the manifest lists is "
                    + (Files.isRegularFile(blob) ? "of another size" : "missing"));
        }
        needed.put(digest, size);
    }

    /** Every blobs/sha256/HEX entry into dir/HEX, its bytes checked against HEX; other files are skipped. */
    private static void unpackBlobs(Path tar, Path dir, String what) throws IOException {
        try (InputStream file = new BufferedInputStream(Files.newInputStream(tar), 1 << 16);
             BoundedTarInputStream in = BoundedTarInputStream.over(file)) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                Matcher m = BLOB.matcher(e.getName());
                if (!m.matches()) {
                    continue;
                }
                if (!e.isFile()) {
                    throw new IOException(what + ": " + e.getName() + " is not a regular file");
                }
                Path target = dir.resolve(m.group(1));
                if (Files.exists(target)) {
                    throw new IOException(what + ": " + e.getName() + " appears twice");
                }
                MessageDigest sha = Downloader.sha256();
                try (OutputStream o = new DigestOutputStream(Files.newOutputStream(target), sha)) {
                    in.transferTo(new LocalFile.BoundedOutput(o, e.getSize(), e.getName()));
                }
                if (!HexFormat.of().formatHex(sha.digest()).equals(m.group(1))) {
                    throw new IOException(what + ": blob " + e.getName() + " does not have the digest its name says");
                }
            }
        }
    }

    private static byte[] readSmall(Path f, String what) throws IOException {
        if (Files.size(f) > MAX_JSON_BYTES) {
            throw new IOException(what + ": the manifest is larger than " + MAX_JSON_BYTES + " bytes");
        }
        return Files.readAllBytes(f);
    }

    private static void copyBlob(Path blob, String digest, long size, OutputStream sink) throws IOException {
        // checked when unpacked; the size is checked again so that the tar entry gets exactly what its header says
        if (Files.size(blob) != size) {
            throw new IOException("blob " + digest + " changed size");
        }
        Files.copy(blob, sink);
    }
}
