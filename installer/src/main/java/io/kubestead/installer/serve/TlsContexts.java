package io.kubestead.installer.serve;

import java.io.IOException;
import java.io.Reader;
import io.kubestead.agent.spec.InputFile;
import io.kubestead.agent.spec.Shown;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** A server SSLContext from PEM files: a certificate chain and an unencrypted private key (PKCS#8, RSA or EC). */
final class TlsContexts {

    private TlsContexts() {
    }

    static SSLContext fromPem(ServeConfig.TlsFiles files) throws IOException {
        List<Certificate> chain = readChain(files.cert());
        PrivateKey key = readKey(files.key());
        try {
            char[] pw = new char[0];
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, pw, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use " + files.cert() + " with " + files.key() + ": " + e.getMessage(), e);
        }
    }

    /** A named PEM file, read through the bounded reader of user-named files (a FIFO or device is refused). */
    private static Reader pemFile(Path pem, String option) {
        try {
            return new java.io.StringReader(new String(InputFile.read(pem, InputFile.PEM_LIMIT), StandardCharsets.US_ASCII));
        } catch (InputFile.Refused e) {
            throw new IllegalArgumentException(option + " " + Shown.value(pem.toString()) + ": the file " + e.getMessage());
        }
    }

    private static List<Certificate> readChain(Path pem) throws IOException {
        List<Certificate> chain = new ArrayList<>();
        try (Reader r = pemFile(pem, "--tls-cert"); PEMParser p = new PEMParser(r)) {
            JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof X509CertificateHolder h) {
                    chain.add(conv.getCertificate(h));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("bad certificate in " + pem + ": " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no PEM certificate in " + pem);
        }
        return chain;
    }

    private static PrivateKey readKey(Path pem) throws IOException {
        try (Reader r = pemFile(pem, "--tls-key"); PEMParser p = new PEMParser(r)) {
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof PrivateKeyInfo info) {
                    return conv.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    return conv.getKeyPair(pair).getPrivate();
                }
            }
        }
        throw new IllegalArgumentException("no unencrypted PEM private key in " + pem);
    }
}
