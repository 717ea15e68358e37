package io.kubestead.installer.cli;

import io.kubestead.agent.bundle.BundleSignature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/** Reads a bundle-signing key named on the command line, as a usage error if it is not one. */
final class KeyFiles {
    private KeyFiles() {
    }

    static Ed25519PrivateKeyParameters privateKey(Path file) {
        try {
            return BundleSignature.readPrivateKey(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("--key " + file + " cannot be read: " + e.getMessage()
                    + " (make one with 'installer keygen --out DIR')");
        } catch (io.kubestead.agent.bundle.BundleException e) {
            throw new IllegalArgumentException("--key " + e.getMessage());
        }
    }
}
