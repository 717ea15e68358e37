package io.kubestead.agent.pki;

import static io.kubestead.agent.pki.PkiTesting.generate;
import static io.kubestead.agent.pki.PkiTesting.ok;
import static io.kubestead.agent.pki.PkiTesting.pki;
import static io.kubestead.agent.pki.PkiTesting.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** openssl's view of the generated set: chains, subjects, SANs, key usages, encodings and modes. */
class PkiOpensslTest {
    static final Map<String, String> LEAF_CA = Map.of(
            "apiserver", "ca", "apiserver-kubelet-client", "ca", "front-proxy-client", "front-proxy-ca",
            "etcd/server", "etcd/ca", "etcd/peer", "etcd/ca", "etcd/healthcheck-client", "etcd/ca",
            "apiserver-etcd-client", "etcd/ca");
    static final List<String> KUBECONFIGS =
            List.of("admin.conf", "super-admin.conf", "controller-manager.conf", "scheduler.conf", "kubelet.conf");

    @TempDir
    Path root;

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"RSA_2048", "ECDSA_P256"})
    void everyLeafVerifiesAgainstItsCaWithKubeadmEncodingsAndModes(KeyAlgorithm alg) throws Exception {
        generate(root, request("1.33.2", alg));
        Path pki = pki(root);
        String keyHeader = alg.isRsa() ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN EC PRIVATE KEY-----";
        for (var e : LEAF_CA.entrySet()) {
            Path crt = pki.resolve(e.getKey() + ".crt");
            assertEquals(crt + ": OK\n", ok("openssl", "verify", "-CAfile", pki.resolve(e.getValue() + ".crt").toString(), crt.toString()));
            // the key belongs to the certificate: same public key
            assertEquals(ok("openssl", "x509", "-in", crt.toString(), "-noout", "-pubkey"),
                    ok("openssl", "pkey", "-in", pki.resolve(e.getKey() + ".key").toString(), "-pubout"));
            assertTrue(Files.readString(pki.resolve(e.getKey() + ".key")).startsWith(keyHeader));
            assertEquals("rw-------", perms(pki.resolve(e.getKey() + ".key")));
            assertEquals("rw-r--r--", perms(crt));
            assertTrue(ok("openssl", "x509", "-in", crt.toString(), "-noout", "-text")
                    .contains(alg.isRsa() ? "Public-Key: (2048 bit)" : "NIST CURVE: P-256"));
        }
        for (String ca : List.of("ca", "front-proxy-ca", "etcd/ca")) {
            Path crt = pki.resolve(ca + ".crt");
            assertEquals(crt + ": OK\n", ok("openssl", "verify", "-CAfile", crt.toString(), crt.toString()));
            assertEquals("rw-------", perms(pki.resolve(ca + ".key")));
        }
        for (String kc : KUBECONFIGS) {
            Path f = root.resolve("etc/kubernetes/" + kc);
            assertEquals("rw-------", perms(f));
            Path crt = PkiTesting.clientCert(f, root.resolve(kc + ".pem"));
            assertEquals(crt + ": OK\n", ok("openssl", "verify", "-CAfile", pki.resolve("ca.crt").toString(), crt.toString()));
        }
        assertTrue(Files.readString(pki.resolve("sa.key")).startsWith(keyHeader));
        assertTrue(Files.readString(pki.resolve("sa.pub")).startsWith("-----BEGIN PUBLIC KEY-----"));
        assertEquals("rw-------", perms(pki.resolve("sa.key")));
        assertEquals("rw-------", perms(pki.resolve("sa.pub")));
        assertEquals(ok("openssl", "pkey", "-in", pki.resolve("sa.key").toString(), "-pubout"), Files.readString(pki.resolve("sa.pub")));
        // openssl 3.0 exits 0 for a key that fails the check too: only its words tell
        io.kubestead.agent.host.ExecResult check = PkiTesting.run("openssl", alg.isRsa() ? "rsa" : "ec", "-check",
                "-noout", "-in", pki.resolve("sa.key").toString());
        assertTrue(alg.isRsa() ? check.stdout().equals("RSA key ok\n") : check.stderr().contains("EC Key valid."),
                check.stdout() + check.stderr());
    }

    @Test
    void subjectsSansAndUsagesAreKubeadms() throws Exception {
        generate(root, request("1.33.2", KeyAlgorithm.ECDSA_P256).withApiServerSans(List.of("10.0.0.99", "api.example.test")));
        assertEquals("""
                subject=CN = kube-apiserver
                X509v3 Key Usage: critical
                    Digital Signature, Key Encipherment
                X509v3 Extended Key Usage:\s
                    TLS Web Server Authentication
                X509v3 Basic Constraints: critical
                    CA:FALSE
                X509v3 Subject Alternative Name:\s
                    DNS:api.example.test, DNS:cp1, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, \
                DNS:kubernetes.default.svc.cluster.local, DNS:lb.example.test, IP Address:10.96.0.1, IP Address:10.0.0.11, \
                IP Address:10.0.0.99
                """, view("apiserver"));
        assertEquals("""
                subject=CN = cp1
                X509v3 Key Usage: critical
                    Digital Signature, Key Encipherment
                X509v3 Extended Key Usage:\s
                    TLS Web Server Authentication, TLS Web Client Authentication
                X509v3 Basic Constraints: critical
                    CA:FALSE
                X509v3 Subject Alternative Name:\s
                    DNS:cp1, DNS:localhost, IP Address:10.0.0.11, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1
                """, view("etcd/server"));
        assertEquals(view("etcd/server"), view("etcd/peer"));
        assertEquals("""
                subject=O = kubeadm:cluster-admins, CN = kube-apiserver-kubelet-client
                X509v3 Key Usage: critical
                    Digital Signature, Key Encipherment
                X509v3 Extended Key Usage:\s
                    TLS Web Client Authentication
                X509v3 Basic Constraints: critical
                    CA:FALSE
                """, view("apiserver-kubelet-client"));
        assertEquals("subject=CN = kube-etcd-healthcheck-client\n", view("etcd/healthcheck-client").lines().findFirst().get() + "\n");
        assertEquals("subject=CN = kube-apiserver-etcd-client\n", view("apiserver-etcd-client").lines().findFirst().get() + "\n");
        assertEquals("subject=CN = front-proxy-client\n", view("front-proxy-client").lines().findFirst().get() + "\n");
        assertEquals("""
                subject=CN = etcd-ca
                X509v3 Key Usage: critical
                    Digital Signature, Key Encipherment, Certificate Sign
                X509v3 Basic Constraints: critical
                    CA:TRUE
                X509v3 Subject Alternative Name:\s
                    DNS:etcd-ca
                """, view("etcd/ca"));
        assertTrue(view("ca").startsWith("subject=CN = kubernetes\n"));
        assertTrue(view("front-proxy-ca").startsWith("subject=CN = front-proxy-ca\n"));
    }

    @Test
    void validityIsBackdatedAndConfigurable() throws Exception {
        var req = request("1.33.2", KeyAlgorithm.ECDSA_P256).at(PkiTesting.NOW)
                .withValidity(java.time.Duration.ofDays(1000), java.time.Duration.ofDays(30));
        generate(root, req);
        assertEquals("notBefore=Nov 21 11:55:00 2026 GMT\nnotAfter=Aug 17 12:00:00 2029 GMT\n", dates("ca"));
        assertEquals("notBefore=Nov 21 11:55:00 2026 GMT\nnotAfter=Dec 21 12:00:00 2026 GMT\n", dates("apiserver"));
        String serial1 = ok("openssl", "x509", "-noout", "-serial", "-in", pki(root).resolve("apiserver.crt").toString());
        String serial2 = ok("openssl", "x509", "-noout", "-serial", "-in", pki(root).resolve("etcd/peer.crt").toString());
        assertFalse(serial1.substring(7).equals(serial2.substring(7)), "serials are random");
    }

    private String dates(String name) {
        return ok("openssl", "x509", "-noout", "-dates", "-in", pki(root).resolve(name + ".crt").toString());
    }

    private String view(String name) {
        String text = ok("openssl", "x509", "-noout", "-subject", "-ext",
                "keyUsage,extendedKeyUsage,basicConstraints,subjectAltName", "-in", pki(root).resolve(name + ".crt").toString());
        return text.replace("\n        ", "\n").replaceAll("(?m)^    (X509v3)", "$1");
    }

    static String perms(Path p) throws Exception {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
