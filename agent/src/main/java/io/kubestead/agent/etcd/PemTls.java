package io.kubestead.agent.etcd;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Builds TLS contexts from the PEM files kubeadm writes (CA bundle, certificate, PKCS#1/SEC1/PKCS#8 key). */
public final class PemTls {
    private static final char[] NO_PASSWORD = new char[0];

    private PemTls() {
    }

    /** Trusts only the CA(s) in {@code caPem} and presents {@code certPem}/{@code keyPem} as client identity. */
    public static SSLContext mutual(Path caPem, Path certPem, Path keyPem) {
        try {
            return mutual(Files.readString(caPem), Files.readString(certPem), Files.readString(keyPem));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read TLS files: " + e.getMessage(), e);
        }
    }

    public static SSLContext mutual(String caPem, String certPem, String keyPem) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            Certificate[] chain = certificates(certPem).toArray(Certificate[]::new);
            keys.setKeyEntry("client", privateKey(keyPem), NO_PASSWORD, chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, NO_PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), trustManagers(caPem).getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("invalid TLS material: " + e.getMessage(), e);
        }
    }

    /** Trusts only the CA(s) in {@code caPem}; no client certificate (bearer-token clients). */
    public static SSLContext trusting(String caPem) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trustManagers(caPem).getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("invalid CA certificate: " + e.getMessage(), e);
        }
    }

    private static TrustManagerFactory trustManagers(String caPem) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (Certificate ca : certificates(caPem)) {
            trust.setCertificateEntry("ca" + i++, ca);
        }
        if (i == 0) {
            throw new GeneralSecurityException("no CA certificate in PEM");
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf;
    }

    private static Collection<? extends Certificate> certificates(String pem) throws GeneralSecurityException {
        return CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static PrivateKey privateKey(String pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IOException("no unencrypted private key in PEM");
        }
    }
}
