package io.kubestead.agent.pki;

import static io.kubestead.agent.pki.PkiTesting.generate;
import static io.kubestead.agent.pki.PkiTesting.host;
import static io.kubestead.agent.pki.PkiTesting.ok;
import static io.kubestead.agent.pki.PkiTesting.pki;
import static io.kubestead.agent.pki.PkiTesting.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenewalTest {
    @TempDir
    Path root;

    private Renewal renewal() {
        return new Renewal(new KeyPool(2), new CertIssuer(new SecureRandom()));
    }

    @Test
    void renewAllKeepsSubjectsAndSansAndNeverTouchesACa() throws Exception {
        generate(root, request("1.30.0", KeyAlgorithm.RSA_2048).withApiServerSans(List.of("extra.example.test")));
        List<String> cas = List.of("ca.crt", "ca.key", "etcd/ca.crt", "etcd/ca.key", "front-proxy-ca.crt", "front-proxy-ca.key");
        List<byte[]> caBytes = cas.stream().map(f -> read(pki(root).resolve(f))).toList();
        String before = identity("apiserver.crt") + identity("etcd/peer.crt") + identity("apiserver-kubelet-client.crt");
        String serialBefore = ok("openssl", "x509", "-noout", "-serial", "-in", pki(root).resolve("apiserver.crt").toString());
        byte[] keyBefore = read(pki(root).resolve("apiserver.key"));

        List<FileOutcome> changed = renewal().renew(host(root), "all", Instant.now(), Duration.ofDays(90));

        assertEquals(7 * 2 + 4, changed.size(), changed.toString());
        assertEquals(before, identity("apiserver.crt") + identity("etcd/peer.crt") + identity("apiserver-kubelet-client.crt"));
        assertNotEquals(serialBefore, ok("openssl", "x509", "-noout", "-serial", "-in", pki(root).resolve("apiserver.crt").toString()));
        assertTrue(!java.util.Arrays.equals(keyBefore, read(pki(root).resolve("apiserver.key"))), "new key");
        assertTrue(ok("openssl", "x509", "-noout", "-text", "-in", pki(root).resolve("apiserver.crt").toString())
                .contains("Public-Key: (2048 bit)"));
        for (int i = 0; i < cas.size(); i++) {
            assertArrayEquals(caBytes.get(i), read(pki(root).resolve(cas.get(i))), cas.get(i));
        }
        ok("openssl", "verify", "-CAfile", pki(root).resolve("etcd/ca.crt").toString(), pki(root).resolve("etcd/server.crt").toString());
        Path admin = root.resolve("etc/kubernetes/admin.conf");
        ok("openssl", "verify", "-CAfile", pki(root).resolve("ca.crt").toString(),
                PkiTesting.clientCert(admin, root.resolve("admin.pem")).toString());
        assertEquals("subject=O = kubeadm:cluster-admins, CN = kubernetes-admin\n",
                ok("openssl", "x509", "-noout", "-subject", "-in", root.resolve("admin.pem").toString()));
        assertEquals("https://lb.example.test:6443", Kubeconfig.parse(Files.readAllBytes(admin)).server());
        // kubelet.conf is the kubelet's business
        assertTrue(changed.stream().noneMatch(f -> f.path().endsWith("kubelet.conf")));
    }

    @Test
    void renewOneNameAndRefuseCasAndUnknownNames() throws Exception {
        generate(root, request("1.33.0", KeyAlgorithm.ECDSA_P256));
        byte[] etcdServer = read(pki(root).resolve("etcd/server.crt"));
        List<FileOutcome> changed = renewal().renew(host(root), "apiserver", Instant.now(), Duration.ofDays(365));
        assertEquals(List.of("/etc/kubernetes/pki/apiserver.crt", "/etc/kubernetes/pki/apiserver.key"),
                changed.stream().map(FileOutcome::path).toList());
        assertArrayEquals(etcdServer, read(pki(root).resolve("etcd/server.crt")));
        SpecException e = assertThrows(SpecException.class, () -> renewal().renew(host(root), "ca", Instant.now(), Duration.ofDays(1)));
        assertTrue(e.getMessage().startsWith("'ca' is not a renewable certificate"), e.getMessage());
        assertTrue(e.getMessage().contains("CAs are never renewed"));
    }

    @Test
    void certificatesOfACaWithoutKeyAreExternallyManaged() throws Exception {
        generate(root, request("1.33.0", KeyAlgorithm.ECDSA_P256));
        Files.delete(pki(root).resolve("front-proxy-ca.key"));
        SpecException e = assertThrows(SpecException.class,
                () -> renewal().renew(host(root), "front-proxy-client", Instant.now(), Duration.ofDays(1)));
        assertTrue(e.getMessage().contains("externally managed front-proxy-ca"), e.getMessage());
        List<FileOutcome> all = renewal().renew(host(root), "all", Instant.now(), Duration.ofDays(1));
        assertTrue(all.stream().noneMatch(f -> f.path().contains("front-proxy")));
        assertEquals(6 * 2 + 4, all.size());
    }

    private String identity(String crt) {
        return ok("openssl", "x509", "-noout", "-subject", "-ext", "subjectAltName,extendedKeyUsage", "-in",
                pki(root).resolve(crt).toString());
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
