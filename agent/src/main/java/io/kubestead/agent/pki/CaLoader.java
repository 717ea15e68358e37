package io.kubestead.agent.pki;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.spec.SpecException;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

/** Reads and checks CAs: ones the user brings and ones already on the host. Problems are {@link SpecException}s. */
public final class CaLoader {
    private CaLoader() {
    }

    /** Checks a brought CA: parses, has its key, the key matches, it is a CA and it has not expired. */
    public static CaPair provided(CaKind kind, ProvidedCa p, Instant now) {
        if (p.keyPem() == null) {
            throw new SpecException(p.certSource() + " was given without " + kind.keyWord()
                    + "=FILE; the agent needs the CA's private key to sign certificates");
        }
        if (p.certPem() == null) {
            throw new SpecException(p.keySource() + " was given without " + kind.certWord() + "=FILE");
        }
        return check(kind, p.certPem(), p.keyPem(), p.certSource(), p.keySource(), now);
    }

    /** A CA key on the host whose certificate is missing (what a kill between the two writes leaves). */
    static Optional<java.security.KeyPair> orphanKey(Host host, CaKind kind) {
        String crt = PkiPaths.crt(kind.baseName());
        String key = PkiPaths.key(kind.baseName());
        if (host.exists(crt) || !host.exists(key)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pem.keyPair(host.readFile(key).orElseThrow()));
        } catch (IOException | RuntimeException e) {
            throw new SpecException(key + " exists without " + crt + " and cannot be read (" + e.getMessage()
                    + "); restore the certificate or remove the key");
        }
    }

    /** The CA on the host, if its certificate is there; an existing certificate without key is an error. */
    public static Optional<CaPair> existing(Host host, CaKind kind, Instant now) {
        String crt = PkiPaths.crt(kind.baseName());
        String key = PkiPaths.key(kind.baseName());
        Optional<byte[]> certPem = host.readFile(crt);
        if (certPem.isEmpty()) {
            if (host.exists(key)) {
                throw new SpecException(key + " exists without " + crt + "; restore the certificate or remove the key");
            }
            return Optional.empty();
        }
        byte[] keyPem = host.readFile(key).orElseThrow(() -> new SpecException(crt + " exists without " + key
                + "; the agent does not support an external CA without its key, put the key in place"));
        return Optional.of(check(kind, certPem.get(), keyPem, crt, key, now));
    }

    static CaPair check(CaKind kind, byte[] certPem, byte[] keyPem, String certSrc, String keySrc, Instant now) {
        X509Certificate cert;
        try {
            cert = Pem.certificate(certPem);
        } catch (CertificateException e) {
            throw new SpecException(certSrc + " is not a PEM certificate (" + e.getMessage() + ")");
        }
        PrivateKey key;
        try {
            key = Pem.privateKey(keyPem);
        } catch (IOException | RuntimeException e) {
            throw new SpecException(keySrc + " is not an unencrypted RSA or EC private key in PEM (" + e.getMessage() + ")");
        }
        if (!CertChecks.isCa(cert)) {
            throw new SpecException(certSrc + " is not a CA certificate (basic constraints CA:FALSE); give the "
                    + kind.kubeadmName() + " certificate itself");
        }
        if (!CertChecks.matches(key, cert.getPublicKey())) {
            throw new SpecException(keySrc + " does not belong to " + certSrc + "; give the key of that certificate");
        }
        CertChecks.validityProblem(cert, now).ifPresent(p -> {
            throw new SpecException(certSrc + " cannot sign: it " + p + "; give a valid CA");
        });
        return new CaPair(kind, cert, key);
    }
}
