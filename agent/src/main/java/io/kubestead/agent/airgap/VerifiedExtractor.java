package io.kubestead.agent.airgap;

import io.kubestead.agent.bundle.BundleException;
import io.kubestead.agent.bundle.BundleReader;
import io.kubestead.agent.bundle.BundleSignature;
import io.kubestead.agent.progress.Meter;
import io.kubestead.agent.spec.BundleTrust;
import io.kubestead.agent.spec.Shown;
import io.kubestead.agent.spec.SpecException;
import java.io.IOException;
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
        PublicKey key = trustedKey(trust, archive);
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

    @Override
    public void checkTrust(Path archive) {
        trustedKey(trust, archive);
    }

    /**
     * The key the words trust for {@code archive} (null only when told to skip the signature); a missing or unreadable
     * key is the words' fault, so one line naming the word.
     */
    static PublicKey trustedKey(BundleTrust trust, Path archive) {
        PublicKey key;
        try {
            key = BundleSignature.trustedKey(trust.publicKey()).orElse(null);
        } catch (IOException e) {
            throw new SpecException("word " + Shown.quoted("bundle-public-key=" + trust.publicKey()) + ": the file "
                    + e.getMessage() + "; give the installer's bundle-signing.pub");
        } catch (BundleException e) {
            throw new SpecException("word 'bundle-public-key': " + e.getMessage());
        }
        if (key == null && !trust.skipSignature()) {
            throw new SpecException("this agent has no built-in bundle key: give bundle-public-key=FILE (the"
                    + " bundle-signing.pub that signed " + Shown.value(archive.getFileName().toString()) + "), or insecure-skip-bundle-signature");
        }
        return key;
    }
}
