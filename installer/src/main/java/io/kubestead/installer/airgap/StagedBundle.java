package io.kubestead.installer.airgap;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A built staging directory in the AIRGAP.md layout and what the bundle's manifest.json needs beyond the files:
 * the Kubernetes version, arch, the fixed creation time and the images with their files.
 */
public record StagedBundle(Path dir, String kubernetesVersion, String arch, Instant created, List<Image> images) {
    public StagedBundle {
        images = List.copyOf(images);
    }

    /** An image reference and its OCI layout tar, relative to dir (images/NAME.tar). */
    public record Image(String ref, String path) {
    }

    /** kubestead-airgap-VERSION-linux-ARCH.tar.zst (or .tar.gz). */
    public String bundleFileName(String extension) {
        return "kubestead-airgap-" + kubernetesVersion + "-linux-" + arch + extension;
    }
}
