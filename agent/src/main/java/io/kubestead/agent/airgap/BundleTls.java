package io.kubestead.agent.airgap;

import io.kubestead.agent.pki.CaPair;
import io.kubestead.agent.pki.CertIssuer;
import io.kubestead.agent.pki.CertUsage;
import io.kubestead.agent.pki.KeyAlgorithm;
import io.kubestead.agent.pki.SubjectAltNames;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The bundle server's TLS identity: a fresh key (kept in memory only, so no secret lands on disk) and a serving
 * certificate signed by the cluster CA for the master's addresses. The chain sent includes the CA certificate, so a
 * joining node can find the CA its ca-hash pins.
 */
public final class BundleTls {
    public static final Duration VALIDITY = Duration.ofDays(365);

    private BundleTls() {
    }

    public static SSLContext serverContext(CaPair ca, List<String> addresses, Instant now, SecureRandom random) {
        KeyPair keys = KeyAlgorithm.ECDSA_P256.generate(random);
        X509Certificate leaf = new CertIssuer(random).leaf(CertIssuer.name("kubestead-bundle-server", List.of()),
                CertUsage.SERVER, SubjectAltNames.of(addresses, "bundle server address"), keys.getPublic(), ca, now, VALIDITY);
        return serverContext(keys, List.of(leaf, ca.cert()), random);
    }

    /** A server context for a given key and chain (leaf first). */
    public static SSLContext serverContext(KeyPair keys, List<X509Certificate> chain, SecureRandom random) {
        try {
            char[] pass = new char[0];
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", keys.getPrivate(), pass, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pass);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, random);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up the bundle server's TLS: " + e.getMessage(), e);
        }
    }
}
