package io.kubestead.agent.join;

import io.kubestead.agent.etcd.PemTls;
import io.kubestead.agent.pki.CaKind;
import io.kubestead.agent.pki.CaPair;
import io.kubestead.agent.pki.CertIssuer;
import io.kubestead.agent.pki.CertUsage;
import io.kubestead.agent.pki.KeyAlgorithm;
import io.kubestead.agent.pki.Pem;
import io.kubestead.agent.pki.SubjectAltNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * A short-lived etcd client identity for the joining master, minted in memory from the etcd CA it decrypted from
 * kubeadm-certs (kubeadm does the same for its etcd calls during join). Nothing is written to disk.
 */
public final class EtcdJoinCredentials {
    public static final String COMMON_NAME = "kube-etcd-healthcheck-client-join";
    public static final Duration VALIDITY = Duration.ofHours(1);

    private EtcdJoinCredentials() {
    }

    /** A minted client identity: the certificate and its key, in memory. */
    public record Minted(X509Certificate cert, KeyPair keys) {
    }

    /** Mutual TLS trusting only the etcd CA and presenting a fresh client certificate it signed. */
    public static SSLContext tls(byte[] etcdCaCertPem, byte[] etcdCaKeyPem, Instant now, SecureRandom random) {
        Minted m = mint(etcdCaCertPem, etcdCaKeyPem, now, random);
        return PemTls.mutual(ascii(etcdCaCertPem), ascii(Pem.certificate(m.cert())), ascii(Pem.privateKey(m.keys())));
    }

    /** A client certificate for {@link #COMMON_NAME} (clientAuth), valid {@link #VALIDITY}, signed by the etcd CA. */
    public static Minted mint(byte[] etcdCaCertPem, byte[] etcdCaKeyPem, Instant now, SecureRandom random) {
        X509Certificate ca;
        try {
            ca = Pem.certificate(etcdCaCertPem);
        } catch (CertificateException e) {
            throw new JoinGateException("etcd-ca.crt from kube-system/kubeadm-certs is not a certificate: " + e.getMessage(), e);
        }
        CaPair pair;
        try {
            pair = new CaPair(CaKind.ETCD, ca, Pem.privateKey(etcdCaKeyPem));
        } catch (IOException e) {
            throw new JoinGateException("etcd-ca.key from kube-system/kubeadm-certs is not a private key: " + e.getMessage(), e);
        }
        // P-256 whatever the CA uses: a throwaway key should cost nothing to make.
        KeyPair keys = KeyAlgorithm.ECDSA_P256.generate(random);
        X509Certificate cert = new CertIssuer(random).leaf(CertIssuer.name(COMMON_NAME, List.of()), CertUsage.CLIENT,
                SubjectAltNames.NONE, keys.getPublic(), pair, now, VALIDITY);
        return new Minted(cert, keys);
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
