package io.kubestead.agent.pki;

import static io.kubestead.agent.pki.PkiTesting.files;
import static io.kubestead.agent.pki.PkiTesting.generate;
import static io.kubestead.agent.pki.PkiTesting.host;
import static io.kubestead.agent.pki.PkiTesting.ok;
import static io.kubestead.agent.pki.PkiTesting.pki;
import static io.kubestead.agent.pki.PkiTesting.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.spec.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reruns keep what is valid, reissue what lacks a SAN (with a backup), never replace a CA; joins reuse the CAs. */
class RerunTest {
    @TempDir
    Path root;

    @Test
    void rerunKeepsEveryFileByteForByte() throws Exception {
        PkiRequest req = request("1.33.0", KeyAlgorithm.ECDSA_P256);
        generate(root, req);
        Map<String, byte[]> before = snapshot();
        PkiResult again = generate(root, req);
        assertEquals(List.of(), again.changed());
        assertEquals(before.keySet(), snapshot().keySet());
        Map<String, byte[]> after = snapshot();
        before.forEach((f, b) -> assertArrayEquals(b, after.get(f), f));
    }

    @Test
    void aCaKeyLeftWithoutItsCertificateByAKillIsCompletedNotReplaced() throws Exception {
        PkiRequest req = request("1.33.0", KeyAlgorithm.ECDSA_P256);
        generate(root, req);
        byte[] key = java.nio.file.Files.readAllBytes(pki(root).resolve("ca.key"));
        String hash = generate(root, req).caHash();
        // what a kill between the key's and the certificate's write leaves
        for (java.nio.file.Path p : java.util.List.of(pki(root).resolve("ca.crt"), pki(root).resolve("apiserver.crt"))) {
            java.nio.file.Files.delete(p);
        }
        PkiResult again = generate(root, req);
        org.junit.jupiter.api.Assertions.assertArrayEquals(key, java.nio.file.Files.readAllBytes(pki(root).resolve("ca.key")));
        org.junit.jupiter.api.Assertions.assertEquals(hash, again.caHash(), "same key, same discovery hash");
        ok("openssl", "verify", "-CAfile", pki(root).resolve("ca.crt").toString(), pki(root).resolve("apiserver.crt").toString());
    }

    @Test
    void aMovedEndpointAddsItsSansToAnotherMastersApiserverCertFromTheSameCa() throws Exception {
        PkiRequest req = request("1.33.0", KeyAlgorithm.ECDSA_P256);
        generate(root, req);
        byte[] ca = java.nio.file.Files.readAllBytes(pki(root).resolve("ca.crt"));
        Renewal renewal = new Renewal(KeyPool.perCpu(), new CertIssuer(new java.security.SecureRandom()));
        var out = renewal.addApiServerSans(host(root), java.util.List.of("lb.example.com", "10.9.9.9"), java.time.Instant.now());
        org.junit.jupiter.api.Assertions.assertTrue(out.stream().anyMatch(o -> o.status() == FileOutcome.Status.REISSUED
                && o.backupPath() != null), out.toString());
        String text = ok("openssl", "x509", "-noout", "-ext", "subjectAltName", "-in", pki(root).resolve("apiserver.crt").toString());
        org.junit.jupiter.api.Assertions.assertTrue(text.contains("DNS:lb.example.com") && text.contains("IP Address:10.9.9.9")
                && text.contains("DNS:kubernetes.default.svc"), text);
        ok("openssl", "verify", "-CAfile", pki(root).resolve("ca.crt").toString(), pki(root).resolve("apiserver.crt").toString());
        org.junit.jupiter.api.Assertions.assertArrayEquals(ca, java.nio.file.Files.readAllBytes(pki(root).resolve("ca.crt")));
        var again = renewal.addApiServerSans(host(root), java.util.List.of("lb.example.com"), java.time.Instant.now());
        org.junit.jupiter.api.Assertions.assertTrue(again.stream().allMatch(o -> o.status() == FileOutcome.Status.KEPT), again.toString());
    }

    @Test
    void newLoadBalancerAddressReissuesTheApiserverCertWithBackup() throws Exception {
        PkiRequest req = request("1.33.0", KeyAlgorithm.ECDSA_P256);
        generate(root, req);
        Map<String, byte[]> before = snapshot();
        PkiResult r = generate(root, req.withControlPlaneEndpoint("10.0.0.10:6443"));

        List<String> changed = r.changed().stream().map(FileOutcome::path).toList();
        assertEquals(List.of("/etc/kubernetes/pki/apiserver.crt", "/etc/kubernetes/pki/apiserver.key",
                "/etc/kubernetes/admin.conf", "/etc/kubernetes/super-admin.conf"), changed);
        FileOutcome crt = r.changed().get(0);
        assertEquals(FileOutcome.Status.REISSUED, crt.status());
        assertEquals("missing SAN 10.0.0.10", crt.reason());
        // the old pair is kept beside the new one
        Path backup = root.resolve(crt.backupPath().substring(1));
        assertTrue(backup.getFileName().toString().startsWith("apiserver.crt.bak-"));
        assertArrayEquals(before.get("etc/kubernetes/pki/apiserver.crt"), Files.readAllBytes(backup));
        Path keyBackup = root.resolve(r.changed().get(1).backupPath().substring(1));
        assertArrayEquals(before.get("etc/kubernetes/pki/apiserver.key"), Files.readAllBytes(keyBackup));
        assertEquals("rw-------", PkiOpensslTest.perms(keyBackup));
        // same CA, new SAN, new server
        assertArrayEquals(before.get("etc/kubernetes/pki/ca.crt"), Files.readAllBytes(pki(root).resolve("ca.crt")));
        ok("openssl", "verify", "-CAfile", pki(root).resolve("ca.crt").toString(), pki(root).resolve("apiserver.crt").toString());
        assertTrue(ok("openssl", "x509", "-noout", "-ext", "subjectAltName", "-in", pki(root).resolve("apiserver.crt").toString())
                .contains("IP Address:10.0.0.10"));
        assertEquals("https://10.0.0.10:6443",
                Kubeconfig.parse(Files.readAllBytes(root.resolve("etc/kubernetes/admin.conf"))).server());
        // etcd and the local-endpoint kubeconfigs did not change
        for (String f : List.of("etc/kubernetes/pki/etcd/server.crt", "etc/kubernetes/controller-manager.conf",
                "etc/kubernetes/kubelet.conf", "etc/kubernetes/pki/sa.key")) {
            assertArrayEquals(before.get(f), Files.readAllBytes(root.resolve(f)), f);
        }
        // and the next run is quiet again
        assertEquals(List.of(), generate(root, req.withControlPlaneEndpoint("10.0.0.10:6443")).changed());
    }

    @Test
    void ensureLeafReissuesOneCertificateForANewAddress() throws Exception {
        PkiRequest req = request("1.33.0", KeyAlgorithm.ECDSA_P256);
        generate(root, req);
        var host = PkiTesting.host(root);
        CaPair etcdCa = CaLoader.existing(host, CaKind.ETCD, req.now()).orElseThrow();
        Pki pki = new Pki(new KeyPool(2), new java.security.SecureRandom());
        CertSpec same = new KubeadmProfile(req).leaves().stream().filter(s -> s.name().equals("etcd-server")).findFirst().orElseThrow();
        assertEquals(FileOutcome.Status.KEPT,
                pki.ensureLeaf(host, same, etcdCa, KeyAlgorithm.ECDSA_P256, req.now(), req.certValidity()).get(0).status());
        PkiRequest moved = PkiRequest.defaults("cp1", "10.0.0.77", req.version()).withKeyAlgorithm(KeyAlgorithm.ECDSA_P256);
        CertSpec spec = new KubeadmProfile(moved).leaves().stream().filter(s -> s.name().equals("etcd-server")).findFirst().orElseThrow();
        List<FileOutcome> out = pki.ensureLeaf(host, spec, etcdCa, KeyAlgorithm.ECDSA_P256, req.now(), req.certValidity());
        assertEquals("missing SAN 10.0.0.77", out.get(0).reason());
        assertTrue(Files.exists(root.resolve(out.get(0).backupPath().substring(1))));
        ok("openssl", "verify", "-CAfile", pki(root).resolve("etcd/ca.crt").toString(), pki(root).resolve("etcd/server.crt").toString());
    }

    @Test
    void kubeletConfThatTheKubeletRotatesIsLeftAlone() throws Exception {
        PkiRequest req = request("1.33.0", KeyAlgorithm.ECDSA_P256);
        generate(root, req);
        Path kubelet = root.resolve("etc/kubernetes/kubelet.conf");
        String rotated = Files.readString(kubelet).replaceAll("client-certificate-data: \\S+",
                "client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem")
                .replaceAll("client-key-data: \\S+", "client-key: /var/lib/kubelet/pki/kubelet-client-current.pem");
        Files.writeString(kubelet, rotated);
        assertEquals(List.of(), generate(root, req).changed());
        assertEquals(rotated, Files.readString(kubelet));
        // any other kubeconfig without embedded credentials is rewritten, with a backup
        Path admin = root.resolve("etc/kubernetes/admin.conf");
        Files.writeString(admin, Files.readString(admin).replaceAll("client-certificate-data: \\S+", "client-certificate: /x.pem"));
        FileOutcome o = generate(root, req).changed().get(0);
        assertEquals("/etc/kubernetes/admin.conf", o.path());
        assertTrue(o.reason().startsWith("unreadable"), o.reason());
    }

    @Test
    void leafFromAnotherCaOrExpiredIsReissuedAndAMissingLeafCreated() throws Exception {
        PkiRequest req = request("1.33.0", KeyAlgorithm.ECDSA_P256);
        generate(root, req);
        Files.delete(pki(root).resolve("front-proxy-client.crt"));
        Files.delete(pki(root).resolve("front-proxy-client.key"));
        PkiResult r = generate(root, req.at(req.now().plus(java.time.Duration.ofDays(400))));
        Map<String, String> reasons = new LinkedHashMap<>();
        r.changed().forEach(f -> reasons.put(f.path(), f.status() + " " + f.reason()));
        assertEquals("CREATED ", reasons.get("/etc/kubernetes/pki/front-proxy-client.crt"));
        assertTrue(reasons.get("/etc/kubernetes/pki/apiserver.crt").startsWith("REISSUED expired on "), reasons.toString());
        assertFalse(reasons.containsKey("/etc/kubernetes/pki/ca.crt"), "a CA is never replaced");
    }

    @Test
    void joiningControlPlaneReusesTheSharedCasAndWritesItsOwnLeaves(@TempDir Path second) throws Exception {
        generate(root, request("1.33.0", KeyAlgorithm.ECDSA_P256));
        PkiRequest join = PkiRequest.defaults("cp2", "10.0.0.12", io.kubestead.agent.version.KubernetesVersion.parse("1.33.0"))
                .withControlPlaneEndpoint("lb.example.test:6443").withKeyAlgorithm(KeyAlgorithm.ECDSA_P256).joining();
        SpecException e = assertThrows(SpecException.class, () -> generate(second, join));
        assertTrue(e.getMessage().contains("copy the shared CAs first"), e.getMessage());
        assertEquals(List.of(), files(second));

        for (String f : List.of("ca.crt", "ca.key", "sa.key", "sa.pub", "front-proxy-ca.crt", "front-proxy-ca.key",
                "etcd/ca.crt", "etcd/ca.key")) {
            Files.createDirectories(pki(second).resolve(f).getParent());
            Files.copy(pki(root).resolve(f), pki(second).resolve(f));
        }
        generate(second, join);
        assertFalse(Files.exists(second.resolve("etc/kubernetes/super-admin.conf")));
        assertFalse(Files.exists(second.resolve("etc/kubernetes/kubelet.conf")));
        assertTrue(Files.exists(second.resolve("etc/kubernetes/admin.conf")));
        ok("openssl", "verify", "-CAfile", pki(root).resolve("etcd/ca.crt").toString(), pki(second).resolve("etcd/peer.crt").toString());
        assertTrue(ok("openssl", "x509", "-noout", "-subject", "-ext", "subjectAltName", "-in",
                pki(second).resolve("etcd/peer.crt").toString()).contains("IP Address:10.0.0.12"));
        assertArrayEquals(Files.readAllBytes(pki(root).resolve("sa.key")), Files.readAllBytes(pki(second).resolve("sa.key")));
    }

    private Map<String, byte[]> snapshot() throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (String f : files(root)) {
            m.put(f, Files.readAllBytes(root.resolve(f)));
        }
        return m;
    }
}
