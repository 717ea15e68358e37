package io.kubestead.agent.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM in kubeadm's encodings: {@code CERTIFICATE}, RSA keys as PKCS#1 {@code RSA PRIVATE KEY}, EC keys as SEC1
 * {@code EC PRIVATE KEY}, public keys as PKIX {@code PUBLIC KEY}. Reading also accepts unencrypted PKCS#8.
 */
public final class Pem {
    private Pem() {
    }

    public static byte[] certificate(X509Certificate cert) {
        try {
            return write("CERTIFICATE", cert.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] privateKey(KeyPair pair) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded());
            if (pair.getPrivate() instanceof java.security.interfaces.ECPrivateKey ec) {
                // SEC1 with the named curve and public key inside, as Go's MarshalECPrivateKey writes it.
                var curve = org.bouncycastle.asn1.ASN1ObjectIdentifier.getInstance(
                        info.getPrivateKeyAlgorithm().getParameters());
                var pub = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()).getPublicKeyData();
                var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                        ec.getParams().getOrder().bitLength(), ec.getS(), pub, curve);
                return write("EC PRIVATE KEY", sec1.getEncoded());
            }
            // PKCS#8 wraps the PKCS#1 structure kubeadm writes; unwrap it.
            return write("RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] publicKey(PublicKey key) {
        return write("PUBLIC KEY", key.getEncoded());
    }

    /** All certificates in a PEM file, leaf first; throws if there is none. */
    public static List<X509Certificate> certificates(byte[] pem) throws CertificateException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (var c : cf.generateCertificates(new java.io.ByteArrayInputStream(pem))) {
            out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
            throw new CertificateException("no certificate found");
        }
        return out;
    }

    public static X509Certificate certificate(byte[] pem) throws CertificateException {
        return certificates(pem).get(0);
    }

    /** Reads an RSA or EC private key (PKCS#1, SEC1 or unencrypted PKCS#8). */
    public static PrivateKey privateKey(byte[] pem) throws IOException {
        try (PEMParser p = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof PEMKeyPair kp) {
                    return conv.getKeyPair(kp).getPrivate();
                }
                if (o instanceof PrivateKeyInfo pk) {
                    return conv.getPrivateKey(pk);
                }
            }
        }
        throw new IOException("no unencrypted RSA or EC private key found");
    }

    public static PublicKey publicKey(byte[] pem) throws IOException {
        try (PEMParser p = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
            Object o = p.readObject();
            if (o instanceof SubjectPublicKeyInfo spki) {
                return new JcaPEMKeyConverter().getPublicKey(spki);
            }
        }
        throw new IOException("no PUBLIC KEY found");
    }

    /** Reads sa.key-like material and returns the pair, deriving the public half. */
    public static KeyPair keyPair(byte[] pem) throws IOException {
        try (PEMParser p = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
            Object o = p.readObject();
            if (o instanceof PEMKeyPair kp) {
                return new JcaPEMKeyConverter().getKeyPair(kp);
            }
        }
        throw new IOException("no RSA or EC private key in PKCS#1 or SEC1 form found");
    }

    private static byte[] write(String type, byte[] der) {
        StringWriter sw = new StringWriter();
        try (PemWriter w = new PemWriter(sw)) {
            w.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
