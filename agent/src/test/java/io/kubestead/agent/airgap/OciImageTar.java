package io.kubestead.agent.airgap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** A one-layer OCI image layout in one tar, written by hand, as the bundle carries each image. */
final class OciImageTar {
    private OciImageTar() {
    }

    static byte[] build(String ref, String fileName, String fileContent) throws IOException {
        byte[] layer = tar(Map.of(fileName, fileContent.getBytes(StandardCharsets.UTF_8)));
        String layerDigest = "sha256:" + ExtractedBundle.sha256(layer);
        String arch = System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
        byte[] config = ("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/" + fileName + "\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layerDigest + "\"]}}").getBytes(StandardCharsets.UTF_8);
        String configDigest = "sha256:" + ExtractedBundle.sha256(config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                + "\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        String manifestDigest = "sha256:" + ExtractedBundle.sha256(manifest);
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{"
                + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + manifestDigest + "\",\"size\":"
                + manifest.length + ",\"platform\":{\"architecture\":\"" + arch + "\",\"os\":\"linux\"},"
                + "\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + ref + "\"}}]}").getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> layout = new LinkedHashMap<>();
        layout.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        layout.put("index.json", index);
        layout.put("blobs/sha256/" + layerDigest.substring(7), layer);
        layout.put("blobs/sha256/" + configDigest.substring(7), config);
        layout.put("blobs/sha256/" + manifestDigest.substring(7), manifest);
        return tar(layout);
    }

    static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (var e : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                entry.setMode(0644);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }
}
