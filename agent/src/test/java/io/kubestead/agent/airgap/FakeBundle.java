package io.kubestead.agent.airgap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes an extracted bundle directory (files plus manifest.json) as the bundle reader would leave it. */
public final class FakeBundle {
    private final Map<String, byte[]> files = new TreeMap<>();
    private final Map<String, String> images = new TreeMap<>();

    public FakeBundle file(String path, String content) {
        return file(path, content.getBytes(StandardCharsets.UTF_8));
    }

    public FakeBundle file(String path, byte[] content) {
        files.put(path, content);
        return this;
    }

    public FakeBundle image(String ref, String path, byte[] tar) {
        images.put(ref, path);
        return file(path, tar);
    }

    /** The usual binaries, each a small script naming itself. */
    public static FakeBundle standard() {
        FakeBundle b = new FakeBundle();
        for (String n : List.of("kubeadm", "kubelet", "kubectl", "crictl", "runc")) {
            b.file("bin/" + n, "#!/bin/sh\necho " + n + "\n");
        }
        for (String n : List.of("containerd", "ctr", "containerd-shim-runc-v2")) {
            b.file("containerd/bin/" + n, "#!/bin/sh\necho " + n + "\n");
        }
        for (String n : List.of("bridge", "host-local", "loopback", "portmap")) {
            b.file("cni/" + n, "#!/bin/sh\necho " + n + "\n");
        }
        b.file("manifests/flannel.yaml", "kind: List\n");
        return b;
    }

    byte[] manifest() {
        StringBuilder sb = new StringBuilder("{\"arch\":\"amd64\",\"created\":\"2026-01-01T00:00:00Z\",\"files\":[");
        List<String> entries = new ArrayList<>();
        files.forEach((p, c) -> entries.add("{\"path\":\"" + p + "\",\"sha256\":\"" + ExtractedBundle.sha256(c)
                + "\",\"size\":" + c.length + "}"));
        sb.append(String.join(",", entries)).append("],\"format\":1,\"images\":[");
        List<String> im = new ArrayList<>();
        images.forEach((r, p) -> im.add("{\"path\":\"" + p + "\",\"ref\":\"" + r + "\"}"));
        sb.append(String.join(",", im)).append("],\"kubernetesVersion\":\"1.33.4\"}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the extracted directory at {@code dir} (a real path) and returns it. */
    public Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (var e : files.entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
        Files.write(dir.resolve(ExtractedBundle.MANIFEST), manifest());
        return dir;
    }
}
