package io.kubestead.agent.pki;

import io.kubestead.agent.host.Host;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A leaf certificate and key on a host: checked as kubeadm checks existing files (key loads and matches, chain to
 * the CA, every required SAN), and replaced with the old pair kept beside it when it no longer fits.
 */
public final class LeafStore {
    /** The one "missing" reason: nothing to back up. */
    public static final String ABSENT = "absent";

    private LeafStore() {
    }

    /** Why the leaf on the host cannot be kept, or empty if it can. */
    public static Optional<String> problem(Host host, CertSpec spec, X509Certificate ca, Instant now) {
        Optional<byte[]> crt = host.readFile(PkiPaths.crt(spec.baseName()));
        Optional<byte[]> key = host.readFile(PkiPaths.key(spec.baseName()));
        if (crt.isEmpty() && key.isEmpty()) {
            return Optional.of(ABSENT);
        }
        if (crt.isEmpty() || key.isEmpty()) {
            return Optional.of(crt.isEmpty() ? "certificate missing" : "key missing");
        }
        X509Certificate cert;
        PrivateKey pk;
        try {
            cert = Pem.certificate(crt.get());
            pk = Pem.privateKey(key.get());
        } catch (Exception e) {
            return Optional.of("unreadable: " + e.getMessage());
        }
        if (!CertChecks.matches(pk, cert.getPublicKey())) {
            return Optional.of("key does not match certificate");
        }
        if (!CertChecks.signedBy(cert, ca)) {
            return Optional.of("not signed by " + spec.issuer().kubeadmName());
        }
        Optional<String> validity = CertChecks.validityProblem(cert, now);
        if (validity.isPresent()) {
            return validity;
        }
        List<String> missing = CertChecks.sans(cert).missing(spec.sans());
        return missing.isEmpty() ? Optional.empty() : Optional.of("missing SAN " + String.join(", ", missing));
    }

    /**
     * Writes a leaf pair. If {@code problem} is not {@link #ABSENT}, the old files are kept as backups first.
     * Returns the outcomes for the certificate and the key.
     */
    public static List<FileOutcome> write(Host host, String baseName, X509Certificate cert, KeyPair keys, String problem,
                                          Instant now) {
        String crtPath = PkiPaths.crt(baseName);
        String keyPath = PkiPaths.key(baseName);
        boolean reissue = !ABSENT.equals(problem);
        String crtBackup = reissue ? Backups.keep(host, crtPath, now) : null;
        String keyBackup = reissue ? Backups.keep(host, keyPath, now) : null;
        host.writeFile(keyPath, Pem.privateKey(keys), 0600);
        host.writeFile(crtPath, Pem.certificate(cert), 0644);
        if (!reissue) {
            return List.of(FileOutcome.created(crtPath, ""), FileOutcome.created(keyPath, ""));
        }
        return List.of(FileOutcome.reissued(crtPath, problem, crtBackup), FileOutcome.reissued(keyPath, problem, keyBackup));
    }

    public static List<FileOutcome> kept(String baseName) {
        return List.of(FileOutcome.kept(PkiPaths.crt(baseName)), FileOutcome.kept(PkiPaths.key(baseName)));
    }
}
