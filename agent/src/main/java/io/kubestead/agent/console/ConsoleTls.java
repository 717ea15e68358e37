package io.kubestead.agent.console;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.pki.CaPair;
import io.kubestead.agent.pki.CertIssuer;
import io.kubestead.agent.pki.CertUsage;
import io.kubestead.agent.pki.KeyAlgorithm;
import io.kubestead.agent.pki.Pem;
import io.kubestead.agent.pki.SubjectAltNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The console's TLS: a serving certificate from the cluster CA for the stable API name and the masters' addresses
 * (kept in {@link ConsolePaths#TLS_CERT} with its key, 0600, and issued again when it is missing, no longer from this
 * CA, short of a name, or within 30 days of its end), and the cluster CA as the only trust for client certificates,
 * which are asked for but not required (a browser without one signs in with the password).
 */
public final class ConsoleTls {
    public static final Duration VALIDITY = Duration.ofDays(365);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private ConsoleTls() {
    }

    /** The serving key and chain (leaf, CA) for {@code names}, reused from disk when still fit, else issued and saved. */
    public static Identity serving(Host host, CaPair ca, List<String> names, Instant now, SecureRandom random) {
        SubjectAltNames sans = SubjectAltNames.of(names, "console address");
        Optional<Identity> kept = load(host).filter(id -> fits(id, ca, names, now));
        if (kept.isPresent()) {
            return kept.get();
        }
        KeyPair keys = KeyAlgorithm.ECDSA_P256.generate(random);
        X509Certificate leaf = new CertIssuer(random).leaf(CertIssuer.name("kubestead-console", List.of()),
                CertUsage.SERVER, sans, keys.getPublic(), ca, now, VALIDITY);
        host.mkdirs(ConsolePaths.DIR, 0700);
        host.writeFile(ConsolePaths.TLS_KEY, Pem.privateKey(keys), 0600);
        ByteArrayOutputStream chain = new ByteArrayOutputStream();
        chain.writeBytes(Pem.certificate(leaf));
        chain.writeBytes(Pem.certificate(ca.cert()));
        host.writeFile(ConsolePaths.TLS_CERT, chain.toByteArray(), 0644);
        return new Identity(keys.getPrivate(), List.of(leaf, ca.cert()));
    }

    /** A private key and its chain, leaf first. */
    public record Identity(PrivateKey key, List<X509Certificate> chain) {
        public Identity {
            chain = List.copyOf(chain);
        }
    }

    private static Optional<Identity> load(Host host) {
        Optional<byte[]> crt = host.readFile(ConsolePaths.TLS_CERT);
        Optional<byte[]> key = host.readFile(ConsolePaths.TLS_KEY);
        if (crt.isEmpty() || key.isEmpty()) {
            return Optional.empty();
        }
        try {
            KeyPair pair = Pem.keyPair(key.get());
            List<X509Certificate> chain = Pem.certificates(crt.get());
            if (chain.isEmpty() || !chain.get(0).getPublicKey().equals(pair.getPublic())) {
                return Optional.empty();
            }
            return Optional.of(new Identity(pair.getPrivate(), chain));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return Optional.empty(); // unreadable: issued again
        }
    }

    private static boolean fits(Identity id, CaPair ca, List<String> names, Instant now) {
        X509Certificate leaf = id.chain().get(0);
        try {
            leaf.verify(ca.cert().getPublicKey());
            leaf.checkValidity(java.util.Date.from(now.plus(RENEW_BEFORE)));
            return sans(leaf).containsAll(names.stream().map(ConsoleTls::normal).toList());
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The certificate's DNS names and IP addresses, normalised as {@link #normal} does. */
    static java.util.Set<String> sans(X509Certificate cert) throws java.security.cert.CertificateParsingException {
        java.util.Set<String> out = new java.util.HashSet<>();
        var all = cert.getSubjectAlternativeNames();
        if (all != null) {
            for (List<?> san : all) {
                if (san.get(1) instanceof String v) {
                    out.add(normal(v));
                }
            }
        }
        return out;
    }

    /** An IP in its canonical form, a DNS name in lower case. */
    static String normal(String name) {
        java.net.InetAddress ip = SubjectAltNames.ipOrNull(name);
        return ip != null ? ip.getHostAddress() : name.toLowerCase(java.util.Locale.ROOT);
    }

    /** The server context: {@code identity} to present, and {@code clientCa} as the only trust for client certificates. */
    public static SSLContext context(Identity identity, X509Certificate clientCa, SecureRandom random) {
        try {
            char[] pass = new char[0];
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("console", identity.key(), pass, identity.chain().toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pass);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("cluster-ca", clientCa);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), random);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up the console's TLS: " + e.getMessage(), e);
        }
    }
}
