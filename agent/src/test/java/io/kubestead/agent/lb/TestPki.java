package io.kubestead.agent.lb;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;

/**
 * A throwaway CA issuing apiserver-like serving certificates for the stand-in API servers (the real PKI package is
 * written in parallel; these tests do not depend on it).
 */
final class TestPki {
    private final KeyPair caKey;
    private final X509Certificate caCert;
    private long serial = 2;

    TestPki(String caName) throws Exception {
        caKey = ecKey();
        X500Name name = new X500Name("CN=" + caName);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, from(), to(), name,
                caKey.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        caCert = sign(b);
    }

    X509Certificate ca() {
        return caCert;
    }

    /** A serving certificate like kubeadm's apiserver one: CN kube-apiserver, SANs the stable name and 127.0.0.1. */
    Leaf apiserver(String nodeName, String... sans) throws Exception {
        KeyPair key = ecKey();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, BigInteger.valueOf(serial++), from(),
                to(), new X500Name("CN=kube-apiserver,OU=" + nodeName), key.getPublic());
        GeneralName[] names = new GeneralName[sans.length + 1];
        names[0] = new GeneralName(GeneralName.iPAddress, "127.0.0.1");
        for (int i = 0; i < sans.length; i++) {
            names[i + 1] = new GeneralName(GeneralName.dNSName, sans[i]);
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        return new Leaf(key, sign(b));
    }

    private X509Certificate sign(X509v3CertificateBuilder b) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static Date from() {
        return Date.from(Instant.now().minus(1, ChronoUnit.HOURS));
    }

    private static Date to() {
        return Date.from(Instant.now().plus(1, ChronoUnit.DAYS));
    }

    record Leaf(KeyPair key, X509Certificate cert) {
        SSLContext serverContext(X509Certificate ca) throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = "test".toCharArray();
            ks.setKeyEntry("apiserver", key.getPrivate(), pw, new Certificate[] {cert, ca});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        }

        byte[] pem() throws Exception {
            return ("-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n").getBytes();
        }
    }
}
