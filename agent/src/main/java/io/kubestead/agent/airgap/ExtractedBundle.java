package io.kubestead.agent.airgap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubestead.agent.host.Host;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * An air-gap bundle already verified and extracted into a directory on the host (layout in AIRGAP.md): its
 * manifest's files and images. Only the fields the host side needs are read, so this does not wait on the
 * bundle format's own manifest class.
 */
public record ExtractedBundle(String dir, String kubernetesVersion, List<BundleFile> files, List<BundleImage> images) {
    /** Where install.sh's bundle is extracted and where masters keep it for joining nodes. */
    public static final String DEFAULT_DIR = "/var/lib/kubestead/bundle";
    public static final String MANIFEST = "manifest.json";

    public record BundleFile(String path, long size, String sha256) {
    }

    public record BundleImage(String ref, String path) {
    }

    public ExtractedBundle {
        files = List.copyOf(files);
        images = List.copyOf(images);
    }

    /** Reads {@code dir/manifest.json}; empty when there is no bundle there. */
    public static Optional<ExtractedBundle> load(Host host, String dir) {
        return host.readFile(dir + "/" + MANIFEST).map(bytes -> parse(dir, bytes));
    }

    public static ExtractedBundle parse(String dir, byte[] manifestJson) {
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(manifestJson);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + dir + "/" + MANIFEST + ": " + e.getMessage(), e);
        }
        List<BundleFile> files = new ArrayList<>();
        for (JsonNode f : n.path("files")) {
            files.add(new BundleFile(safePath(f.path("path").asText()), f.path("size").asLong(), f.path("sha256").asText()));
        }
        List<BundleImage> images = new ArrayList<>();
        for (JsonNode i : n.path("images")) {
            images.add(new BundleImage(i.path("ref").asText(), safePath(i.path("path").asText())));
        }
        return new ExtractedBundle(dir, n.path("kubernetesVersion").asText(), files, images);
    }

    /** Manifest paths are relative and stay inside the bundle; the reader refuses others, this double-checks. */
    static String safePath(String p) {
        if (p.isEmpty() || p.startsWith("/") || p.contains("\\") || List.of(p.split("/")).contains("..")) {
            throw new IllegalArgumentException("the bundle manifest lists an unsafe path: " + p);
        }
        return p;
    }

    /** The host path of a manifest path. */
    public String hostPath(String manifestPath) {
        return dir + "/" + manifestPath;
    }

    public Optional<BundleFile> file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }

    /** Files whose manifest path starts with {@code prefix}, in manifest order. */
    public List<BundleFile> under(String prefix) {
        return files.stream().filter(f -> f.path().startsWith(prefix)).toList();
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
