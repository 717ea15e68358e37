package io.kubestead.installer.airgap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Date;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * One image as an OCI image layout in a single uncompressed tar (oci-layout, index.json, blobs/sha256/...), the form
 * {@code ctr images import} reads. Deterministic: entries sorted, one fixed mtime, root owner, mode 0644.
 */
final class OciLayoutTar {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String CONTAINERD_NAME = "io.containerd.image.name";
    private static final ObjectMapper JSON = new ObjectMapper();

    private OciLayoutTar() {
    }

    /** Writes one blob's bytes into its tar entry, checking them (it throws on a wrong size or digest). */
    interface BlobSource {
        void writeTo(String digest, long size, OutputStream out) throws IOException;
    }

    private record Remote(String digest, long size) {
    }

    /**
     * Writes the tar atomically: the manifest (bytes at hand, digest checked), and blobs ("sha256:hex" to size)
     * streamed by source straight into their entries, so a layer is written once; any failure drops the whole tar.
     */
    static void write(Path out, String reference, String manifestMediaType, String manifestDigest, byte[] manifest,
                      SortedMap<String, Long> blobs, BlobSource source, Instant mtime) throws IOException {
        long manifestSize = manifest.length;
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", "application/vnd.oci.image.index.v1+json");
        ObjectNode desc = index.putArray("manifests").addObject();
        desc.put("mediaType", manifestMediaType);
        desc.put("digest", manifestDigest);
        desc.put("size", manifestSize);
        ObjectNode ann = desc.putObject("annotations");
        ann.put(CONTAINERD_NAME, reference);
        ann.put(REF_NAME, reference);
        SortedMap<String, Object> entries = new TreeMap<>();
        entries.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        entries.put("index.json", JSON.writeValueAsBytes(index));
        entries.put("blobs/", null);
        entries.put("blobs/sha256/", null);
        for (var b : blobs.entrySet()) {
            entries.put("blobs/sha256/" + b.getKey().substring("sha256:".length()), new Remote(b.getKey(), b.getValue()));
        }
        entries.put("blobs/sha256/" + manifestDigest.substring("sha256:".length()), manifest);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), "." + out.getFileName() + "-", ".part");
        try {
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                for (var e : entries.entrySet()) {
                    put(tar, e.getKey(), e.getValue(), source, mtime);
                }
                tar.finish();
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void put(TarArchiveOutputStream tar, String name, Object content, BlobSource source, Instant mtime)
            throws IOException {
        boolean dir = content == null;
        TarArchiveEntry t = new TarArchiveEntry(name, dir ? TarArchiveEntry.LF_DIR : TarArchiveEntry.LF_NORMAL);
        t.setModTime(Date.from(mtime));
        t.setIds(0, 0);
        t.setNames("root", "root");
        t.setMode(dir ? 040755 : 0100644);
        if (content instanceof byte[] bytes) {
            t.setSize(bytes.length);
            tar.putArchiveEntry(t);
            tar.write(bytes);
        } else if (content instanceof Remote r) {
            t.setSize(r.size());
            tar.putArchiveEntry(t);
            source.writeTo(r.digest(), r.size(), new java.io.FilterOutputStream(tar) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() {
                    // the tar stays open for the next entry
                }
            });
        } else {
            tar.putArchiveEntry(t);
        }
        tar.closeArchiveEntry();
    }
}
