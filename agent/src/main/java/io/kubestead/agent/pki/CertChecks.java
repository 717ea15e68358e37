package io.kubestead.agent.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Questions asked of existing certificates: does the key match, who signed it, is it valid, which SANs. */
public final class CertChecks {
    private CertChecks() {
    }

    /** True if the private key belongs to the public key (checked by a signature, so it works for any key type). */
    public static boolean matches(PrivateKey key, PublicKey pub) {
        if (!key.getAlgorithm().equals(pub.getAlgorithm())) {
            return false;
        }
        try {
            String alg = KeyAlgorithm.of(pub).signatureAlgorithm();
            byte[] msg = "kubestead key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(msg);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(msg);
            return v.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    public static boolean signedBy(X509Certificate cert, X509Certificate ca) {
        if (!cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return false;
        }
        try {
            cert.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public static boolean isCa(X509Certificate cert) {
        return cert.getBasicConstraints() >= 0;
    }

    /** Why a certificate is not usable at {@code now}, or empty if it is within its validity. */
    public static Optional<String> validityProblem(X509Certificate cert, Instant now) {
        if (now.isAfter(cert.getNotAfter().toInstant())) {
            return Optional.of("expired on " + cert.getNotAfter().toInstant());
        }
        if (now.isBefore(cert.getNotBefore().toInstant())) {
            return Optional.of("not valid before " + cert.getNotBefore().toInstant());
        }
        return Optional.empty();
    }

    public static SubjectAltNames sans(X509Certificate cert) {
        List<String> dns = new ArrayList<>();
        List<InetAddress> ips = new ArrayList<>();
        try {
            Collection<List<?>> all = cert.getSubjectAlternativeNames();
            if (all != null) {
                for (List<?> n : all) {
                    int type = (Integer) n.get(0);
                    if (type == 2) {
                        dns.add((String) n.get(1));
                    } else if (type == 7) {
                        ips.add(InetAddress.getByName((String) n.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException | UnknownHostException e) {
            throw new IllegalStateException("cannot read the SANs of " + cert.getSubjectX500Principal(), e);
        }
        return new SubjectAltNames(dns, ips);
    }

    /** The certificate's usage profile, read from its basic constraints and extended key usage. */
    public static CertUsage usage(X509Certificate cert) {
        if (isCa(cert)) {
            return CertUsage.CA;
        }
        try {
            List<String> eku = Optional.ofNullable(cert.getExtendedKeyUsage()).orElse(List.of());
            boolean server = eku.contains("1.3.6.1.5.5.7.3.1");
            boolean client = eku.contains("1.3.6.1.5.5.7.3.2");
            return server && client ? CertUsage.SERVER_AND_CLIENT : server ? CertUsage.SERVER : CertUsage.CLIENT;
        } catch (CertificateParsingException e) {
            throw new IllegalStateException(e);
        }
    }
}
