package io.kubestead.agent.etcd;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test-only PKI (the real pki package is built elsewhere): an EC CA and leaf certificates for 127.0.0.1 and
 * localhost usable as etcd server, peer and client certificates, written as PEM files.
 */
public final class TestPki {
    /** PEM file paths of one identity. */
    public record Files3(Path ca, Path cert, Path key) {
    }

    private final Path dir;
    private final KeyPair caKeys;
    private final X509CertificateHolder caCert;
    private final AtomicLong serial = new AtomicLong(2);

    public TestPki(Path dir) {
        try {
            this.dir = Files.createDirectories(dir);
            this.caKeys = ecKeys();
            X500Name name = new X500Name("CN=etcd-ca");
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minus(1, ChronoUnit.HOURS)),
                    Date.from(now.plus(1, ChronoUnit.DAYS)), name, caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            this.caCert = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate()));
            write(dir.resolve("ca.crt"), caCert);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Path caFile() {
        return dir.resolve("ca.crt");
    }

    /** The CA's private key as PKCS#8 PEM (for tests that hand the CA to the code under test, as kubeadm-certs does). */
    public String caKeyPem() {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(new JcaPKCS8Generator(caKeys.getPrivate(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A certificate for {@code cn} valid for 127.0.0.1/localhost, for both server and client use. */
    public Files3 issue(String cn, String... extraIps) {
        try {
            KeyPair keys = ecKeys();
            Instant now = Instant.now();
            java.util.List<GeneralName> names = new java.util.ArrayList<>(java.util.List.of(
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")));
            for (String ip : extraIps) {
                names.add(new GeneralName(GeneralName.iPAddress, ip));
            }
            GeneralNames sans = new GeneralNames(names.toArray(GeneralName[]::new));
            var builder = new JcaX509v3CertificateBuilder(caCert.getSubject(), BigInteger.valueOf(serial.getAndIncrement()),
                    Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)),
                    new X500Name("CN=" + cn), keys.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false, sans)
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            X509CertificateHolder cert = builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate()));
            Path certFile = dir.resolve(cn + ".crt");
            Path keyFile = dir.resolve(cn + ".key");
            write(certFile, cert);
            write(keyFile, new JcaPKCS8Generator(keys.getPrivate(), null)); // PKCS#8, as kubeadm 1.31+ writes
            return new Files3(caFile(), certFile, keyFile);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        return gen.generateKeyPair();
    }

    private static void write(Path file, Object pemObject) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(pemObject);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.writeString(file, out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
