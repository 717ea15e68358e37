package io.kubestead.agent.airgap;

import io.kubestead.agent.bundle.BundleReader;
import io.kubestead.agent.bundle.BundleSignature;
import io.kubestead.agent.progress.Meter;
import io.kubestead.agent.spec.BundleTrust;
import io.kubestead.agent.spec.SpecException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.function.Consumer;

/** The real {@link Extractor}: the bundle reader's one verified, streaming pass, trusting the key the user chose. */
public final class VerifiedExtractor implements Extractor {
    private final BundleTrust trust;

    public VerifiedExtractor(BundleTrust trust) {
        this.trust = trust;
    }

    @Override
    public void extract(Path archive, Path targetDir, Consumer<String> progress, Meter bytes) throws Exception {
        PublicKey key = BundleSignature.trustedKey(trust.publicKey()).orElse(null);
        if (key == null && !trust.skipSignature()) {
            throw new SpecException("this agent has no built-in bundle key: give bundle-public-key=FILE (the"
                    + " bundle-signing.pub that signed " + archive.getFileName() + "), or insecure-skip-bundle-signature");
        }
        if (trust.skipSignature()) {
            progress.accept("WARNING: the bundle's signature is not checked (insecure-skip-bundle-signature);"
                    + " every file's SHA-256 still is");
        }
        try {
            new BundleReader(key, trust.skipSignature(), bytes::update).extract(archive, targetDir);
        } finally {
            bytes.finish();
        }
    }
}
