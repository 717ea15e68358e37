package io.kubestead.agent.pki;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.spec.SpecException;
import java.security.cert.X509Certificate;
import java.util.Optional;

/** Reads the certificate of an inventory entry from a host, whether a pki file or embedded in a kubeconfig. */
final class ExistingCert {
    private ExistingCert() {
    }

    static Optional<X509Certificate> read(Host host, CertInventory.Entry e) {
        Optional<byte[]> raw = host.readFile(e.path());
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] pem = e.inKubeconfig() ? Kubeconfig.parse(raw.get()).certPem() : raw.get();
            return Optional.of(Pem.certificate(pem));
        } catch (Exception ex) {
            throw new SpecException(e.path() + " holds no readable certificate (" + ex.getMessage() + ")");
        }
    }

    static Optional<X509Certificate> ca(Host host, CaKind kind) {
        Optional<byte[]> raw = host.readFile(PkiPaths.crt(kind.baseName()));
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pem.certificate(raw.get()));
        } catch (Exception ex) {
            throw new SpecException(PkiPaths.crt(kind.baseName()) + " is not a readable certificate (" + ex.getMessage() + ")");
        }
    }
}
