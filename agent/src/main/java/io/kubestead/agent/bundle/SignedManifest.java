package io.kubestead.agent.bundle;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads only the head of a bundle, manifest.json and manifest.sig (the writer puts them first), and checks the
 * signature: what the bundle says it holds, known before anything is planned or extracted. It does not check the
 * files; {@link BundleReader} does that in its full pass against this same signed manifest.
 */
public final class SignedManifest {
    private SignedManifest() {
    }

    /**
     * The bundle's manifest once its signature verifies with {@code trustedKey}; with {@code skipSignature} the
     * manifest unchecked (trustedKey may then be null). Throws {@link BundleException} naming the bundle.
     */
    public static BundleManifest read(Path bundle, PublicKey trustedKey, boolean skipSignature) {
        String name = bundle.getFileName().toString();
        if (trustedKey == null && !skipSignature) {
            throw new BundleException("bundle " + name + ": no trusted key to check its signature with");
        }
        try (TarArchiveInputStream tar = BoundedTarInputStream.open(bundle)) {
            return BundleHead.read(tar).verifiedManifest(trustedKey, skipSignature);
        } catch (BundleException e) {
            throw new BundleException("bundle " + name + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new BundleException("bundle " + name + ": cannot read (truncated or corrupt?): " + e.getMessage(), e);
        }
    }
}
