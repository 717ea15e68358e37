package io.kubestead.agent.airgap;

import io.kubestead.agent.bundle.BundleException;
import io.kubestead.agent.bundle.SignedManifest;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.spec.BundleTrust;
import io.kubestead.agent.spec.BundleVersion;
import io.kubestead.agent.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Optional;

/**
 * The Kubernetes version of the bundle an air-gapped install or join will use, in the order the bundle phase uses
 * them: the bundle already extracted on the host (verified when it was extracted), else the archive install.sh
 * found, whose manifest is read and its signature checked first (the rest is checked when it is extracted).
 */
public final class BundleVersionReader {
    private BundleVersionReader() {
    }

    /** Empty when there is no bundle to read yet (a joining node that fetches one, or a dry-run without one). */
    public static Optional<BundleVersion> find(Host host, Optional<Path> archive, BundleTrust trust) {
        Optional<ExtractedBundle> extracted = ExtractedBundle.load(host, ExtractedBundle.DEFAULT_DIR);
        if (extracted.isPresent()) {
            return Optional.of(new BundleVersion(extracted.get().kubernetesVersion(),
                    "extracted in " + ExtractedBundle.DEFAULT_DIR));
        }
        if (archive.isEmpty() || !Files.isRegularFile(archive.get())) {
            return Optional.empty();
        }
        Path file = archive.get();
        PublicKey key = VerifiedExtractor.trustedKey(trust, file);
        try {
            String version = SignedManifest.read(file, key, trust.skipSignature()).kubernetesVersion();
            return Optional.of(new BundleVersion(version,
                    file + (trust.skipSignature() ? ", signature not checked" : ", signed manifest")));
        } catch (BundleException e) {
            throw new SpecException("air-gap " + e.getMessage());
        }
    }
}
