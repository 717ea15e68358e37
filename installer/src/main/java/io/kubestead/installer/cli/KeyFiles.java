package io.kubestead.installer.cli;

import io.kubestead.agent.bundle.BundleSignature;
import java.io.IOException;
import io.kubestead.agent.spec.InputFile;
import io.kubestead.agent.spec.Shown;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/** Reads a bundle-signing key named on the command line, as a usage error if it is not one. */
final class KeyFiles {
    private KeyFiles() {
    }

    static PrivateKey privateKey(Path file) {
        try {
            return BundleSignature.readPrivateKey(InputFile.read(file, InputFile.PEM_LIMIT), Shown.value(file.toString()));
        } catch (InputFile.Refused e) {
            throw new IllegalArgumentException("--key " + Shown.value(file.toString()) + ": the file " + e.getMessage()
                    + " (make one with 'installer keygen --out DIR')");
        } catch (io.kubestead.agent.bundle.BundleException e) {
            throw new IllegalArgumentException("--key " + e.getMessage());
        }
    }

    /**
     * The public half of a bundle-signing key. JDK 17 has no API to derive it, BouncyCastle has; the installer
     * may load BouncyCastle (the agent's bundle checks do not, see BundleSignature).
     */
    static PublicKey publicKeyOf(PrivateKey key) {
        try {
            if (PrivateKeyFactory.createKey(key.getEncoded()) instanceof Ed25519PrivateKeyParameters ed) {
                byte[] spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(ed.generatePublicKey()).getEncoded();
                return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("not an Ed25519 private key");
    }
}
