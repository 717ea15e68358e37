package io.kubestead.agent.spec;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which air-gap bundles the agent accepts: signed by the key built into the agent, or by the key named with
 * {@code bundle-public-key=FILE}; {@code insecure-skip-bundle-signature} accepts unsigned ones (every file's
 * SHA-256 is still checked).
 */
public record BundleTrust(Path publicKey, boolean skipSignature) {
    public static final BundleTrust BUILT_IN = new BundleTrust(null, false);

    public Optional<Path> publicKeyFile() {
        return Optional.ofNullable(publicKey);
    }

    static BundleTrust from(Words w) {
        Path key = w.has("bundle-public-key")
                ? InstallSpecParser.inputFile(w, "bundle-public-key", "give the installer's bundle-signing.pub") : null;
        return new BundleTrust(key, w.has("insecure-skip-bundle-signature"));
    }

    static final WordDef KEY_WORD = WordDef.value("bundle-public-key", "FILE",
            "trust air-gap bundles signed by this Ed25519 public key (default: the key built into the agent)");
    static final WordDef SKIP_WORD = WordDef.flag("insecure-skip-bundle-signature",
            "accept an unsigned or differently signed air-gap bundle (file checksums are still verified)");
}
