package io.kubestead.agent.pki;

import static io.kubestead.agent.pki.PkiTesting.files;
import static io.kubestead.agent.pki.PkiTesting.generate;
import static io.kubestead.agent.pki.PkiTesting.ok;
import static io.kubestead.agent.pki.PkiTesting.pki;
import static io.kubestead.agent.pki.PkiTesting.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bring your own CA: made by the openssl command line, used to sign; every bad input refused before writing. */
class ProvidedCaTest {
    @TempDir
    Path dir;
    Path root;
    Path caCrt;
    Path caKey;

    @BeforeEach
    void makeCaWithOpenssl() {
        root = dir.resolve("root");
        caCrt = dir.resolve("my-ca.crt");
        caKey = dir.resolve("my-ca.key");
        ok("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=my-company-ca", "-days", "30",
                "-keyout", caKey.toString(), "-out", caCrt.toString());
    }

    private PkiRequest with(CaKind kind, Path crt, Path key) {
        return request("1.33.0", KeyAlgorithm.ECDSA_P256).withProvidedCas(Map.of(kind, ProvidedCa.fromFiles(kind, crt, key)));
    }

    @Test
    void signsWithTheBroughtCaAndCopiesIt() throws Exception {
        PkiResult r = generate(root, with(CaKind.CA, caCrt, caKey));
        assertArrayEquals(Files.readAllBytes(caCrt), Files.readAllBytes(pki(root).resolve("ca.crt")));
        assertEquals("rw-------", PkiOpensslTest.perms(pki(root).resolve("ca.key")));
        for (String leaf : List.of("apiserver", "apiserver-kubelet-client")) {
            ok("openssl", "verify", "-CAfile", caCrt.toString(), pki(root).resolve(leaf + ".crt").toString());
        }
        ok("openssl", "verify", "-CAfile", caCrt.toString(),
                PkiTesting.clientCert(root.resolve("etc/kubernetes/admin.conf"), dir.resolve("admin.pem")).toString());
        assertTrue(r.lines().contains("created /etc/kubernetes/pki/ca.crt (from ca-cert=" + caCrt + ")"), r.lines().toString());
        // the other CAs are still made by the agent
        assertTrue(ok("openssl", "x509", "-noout", "-subject", "-in", pki(root).resolve("etcd/ca.crt").toString()).contains("etcd-ca"));
    }

    @Test
    void keyOfAnotherCertificateIsRefused() throws Exception {
        Path other = dir.resolve("other.key");
        ok("openssl", "genrsa", "-out", other.toString(), "2048");
        refused(with(CaKind.ETCD, caCrt, other), "etcd-ca-key=" + other + " does not belong to etcd-ca-cert=" + caCrt);
    }

    @Test
    void certificateThatIsNotACaIsRefused() throws Exception {
        Path leafCrt = dir.resolve("leaf.crt");
        Path leafKey = dir.resolve("leaf.key");
        ok("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=leaf", "-days", "30",
                "-addext", "basicConstraints=critical,CA:FALSE", "-keyout", leafKey.toString(), "-out", leafCrt.toString());
        refused(with(CaKind.FRONT_PROXY, leafCrt, leafKey), "front-proxy-ca-cert=" + leafCrt + " is not a CA certificate");
    }

    @Test
    void expiredCaIsRefused() throws Exception {
        var kp = KeyAlgorithm.ECDSA_P256.generate(new SecureRandom());
        var cert = new CertIssuer(new SecureRandom()).selfSignedCa("old-ca", kp, Instant.now().minus(Duration.ofDays(10)),
                Duration.ofDays(2));
        Path crt = Files.write(dir.resolve("old.crt"), Pem.certificate(cert));
        Path key = Files.write(dir.resolve("old.key"), Pem.privateKey(kp));
        SpecException e = refused(with(CaKind.CA, crt, key), "ca-cert=" + crt + " cannot sign: it expired on");
        assertTrue(e.getMessage().endsWith("give a valid CA"));
    }

    @Test
    void certificateWithoutKeyIsRefused() throws Exception {
        refused(with(CaKind.CA, caCrt, null), "ca-cert=" + caCrt + " was given without ca-key=FILE");
    }

    @Test
    void garbageIsRefusedWithItsName() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "hello\n");
        refused(with(CaKind.CA, junk, caKey), "ca-cert=" + junk + " is not a PEM certificate");
        refused(with(CaKind.CA, caCrt, junk), "ca-key=" + junk + " is not an unencrypted RSA or EC private key");
    }

    @Test
    void aDifferentCaThanTheOneInPlaceIsRefused() throws Exception {
        generate(root, request("1.33.0", KeyAlgorithm.ECDSA_P256));
        List<String> before = files(root);
        byte[] ca = Files.readAllBytes(pki(root).resolve("ca.crt"));
        SpecException e = assertThrows(SpecException.class, () -> generate(root, with(CaKind.CA, caCrt, caKey)));
        assertTrue(e.getMessage().contains("an existing CA is never replaced"), e.getMessage());
        assertEquals(before, files(root));
        assertArrayEquals(ca, Files.readAllBytes(pki(root).resolve("ca.crt")));
    }

    private SpecException refused(PkiRequest req, String messageStart) throws Exception {
        SpecException e = assertThrows(SpecException.class, () -> generate(root, req));
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
        assertEquals(List.of(), files(root), "nothing written");
        return e;
    }
}
