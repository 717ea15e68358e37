package io.kubestead.agent.join;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubestead.agent.etcd.EtcdMember;
import io.kubestead.agent.etcd.TestPki;
import io.kubestead.agent.pki.CaHash;
import io.kubestead.agent.pki.Pem;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A joining master's access to the cluster from the join words alone, against loopback stand-ins. */
class ControlPlaneAccessTest {
    static final String TOKEN = "abcdef.0123456789abcdef";

    @TempDir
    Path tmp;

    static String randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return HexFormat.of().formatHex(k);
    }

    @Test
    void decryptsWhatKubeadmEncryptedAndAWrongKeyFailsClearly() throws Exception {
        String key = randomKey();
        byte[] plain = "-----BEGIN EC PRIVATE KEY-----\nsecret\n-----END EC PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = KubeadmCertsFixture.encrypt(plain, key);
        assertEquals(12 + plain.length + 16, sealed.length, "nonce, ciphertext, tag");
        assertArrayEquals(plain, KubeadmCerts.decrypt(sealed, key));

        ObjectNode secret = KubeadmCertsFixture.kubeadmCerts(Map.of("etcd-ca.key", new String(plain, StandardCharsets.US_ASCII)), key);
        assertArrayEquals(plain, KubeadmCerts.file(secret, "etcd-ca.key", key));
        JoinGateException wrong = assertThrows(JoinGateException.class,
                () -> KubeadmCerts.file(secret, "etcd-ca.key", randomKey()));
        assertTrue(wrong.getMessage().startsWith("cannot decrypt etcd-ca.key from kube-system/kubeadm-certs with the"
                + " certificate key"), wrong.getMessage());
        assertTrue(wrong.getMessage().contains("run 'kubestead join-script master' on a master"), wrong.getMessage());
        JoinGateException missing = assertThrows(JoinGateException.class,
                () -> KubeadmCerts.file(secret, "etcd-ca.crt", key));
        assertTrue(missing.getMessage().contains("has no etcd-ca.crt")
                && missing.getMessage().contains("join-script master"), missing.getMessage());
    }

    @Test
    void withTheRightPinTheJoinerTakesTheLeaseAndReadsEtcdWithItsMintedCertificate() throws Exception {
        TestPki cluster = new TestPki(tmp.resolve("cluster-pki"));
        String caPem = Files.readString(cluster.caFile());
        String key = randomKey();
        try (ControlPlaneStandIn standIn = new ControlPlaneStandIn(tmp, caPem, cluster.caKeyPem(), TOKEN, key)) {
            List<String> progress = new ArrayList<>();
            ControlPlaneAccess access = standIn.connector().connect(target(standIn, pin(caPem), key), progress::add);
            assertEquals(Pem.certificate(caPem.getBytes(StandardCharsets.US_ASCII)),
                    Pem.certificate(access.clusterCa().getBytes(StandardCharsets.US_ASCII)));
            // the Lease through the token-authenticated, CA-pinned API
            assertTrue(access.lock(Clock.systemUTC()).tryAcquire("cp-2", Duration.ofSeconds(30)).acquired());
            assertEquals("cp-2", standIn.api().store().get(LeaseLock.PATH).orElseThrow()
                    .path("spec").path("holderIdentity").asText());
            // etcd accepts the client certificate minted from the decrypted etcd CA
            List<EtcdMember> members = access.etcd().members();
            assertEquals(List.of("cp-1"), members.stream().map(EtcdMember::name).toList());
            assertTrue(access.etcd().healthy(members.get(0)));
            assertTrue(progress.stream().anyMatch(p -> p.contains("serves a cluster-info signed for the join token, with"
                    + " the cluster CA the join command pins")), progress.toString());
        }
    }

    @Test
    void anApiEndpointThatIsNotUpYetIsRetriedAndOneThatNeverAnswersFailsClearly() throws Exception {
        TestPki cluster = new TestPki(tmp.resolve("cluster-pki"));
        String caPem = Files.readString(cluster.caFile());
        String key = randomKey();
        try (ControlPlaneStandIn standIn = new ControlPlaneStandIn(tmp, caPem, cluster.caKeyPem(), TOKEN, key)) {
            standIn.api().unavailableFor(2);
            List<String> progress = new ArrayList<>();
            standIn.connector().connect(target(standIn, pin(caPem), key), progress::add);
            assertTrue(progress.get(0).matches("cannot reach the API server https://127\\.0\\.0\\.1:\\d+ yet \\(HTTP 503\\),"
                    + " retrying for up to 10 s"), progress.toString());
        }
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        URI nothing = URI.create("https://127.0.0.1:" + closed);
        JoinGateException e = assertThrows(JoinGateException.class, () -> ClusterInfo.pinnedCa(nothing,
                io.kubestead.agent.kubeadm.BootstrapToken.parse(TOKEN), "sha256:00",
                Duration.ofSeconds(2), Duration.ZERO, Clock.systemUTC(), Sleeper.system(), m -> { }));
        assertTrue(e.getMessage().startsWith("cannot reach the API server " + nothing + " for cluster-info: ")
                && e.getMessage().endsWith("check that this host reaches the cluster's API endpoint"), e.getMessage());
    }

    @Test
    void anotherClustersCaIsRefusedBeforeTheTokenIsSent() throws Exception {
        TestPki cluster = new TestPki(tmp.resolve("cluster-pki"));
        TestPki other = new TestPki(tmp.resolve("other-pki"));
        String key = randomKey();
        try (ControlPlaneStandIn standIn = new ControlPlaneStandIn(tmp, Files.readString(cluster.caFile()),
                cluster.caKeyPem(), TOKEN, key)) {
            String wrongPin = pin(Files.readString(other.caFile()));
            JoinGateException e = assertThrows(JoinGateException.class,
                    () -> standIn.connector().connect(target(standIn, wrongPin, key), m -> { }));
            assertTrue(e.getMessage().contains("is not the join command's ca-hash (" + wrongPin + ")"), e.getMessage());
            assertEquals(0, standIn.api().requestsWithToken(), "the token went to an unverified server");
        }
    }

    @Test
    void aRejectedTokenSaysToRunJoinScript() throws Exception {
        TestPki cluster = new TestPki(tmp.resolve("cluster-pki"));
        String caPem = Files.readString(cluster.caFile());
        String key = randomKey();
        try (ControlPlaneStandIn standIn = new ControlPlaneStandIn(tmp, caPem, cluster.caKeyPem(),
                "zzzzzz.0123456789abcdef", key)) {
            // cluster-info is signed for the joiner's token too, but the API server does not accept it (a token
            // deleted between discovery and use, or one without the authentication usage)
            ObjectNode info = standIn.clusterInfo();
            KubeadmCertsFixture.sign((ObjectNode) info.path("data"), TOKEN);
            standIn.serveClusterInfo(info);
            JoinGateException e = assertThrows(JoinGateException.class,
                    () -> standIn.connector().connect(target(standIn, pin(caPem), key), m -> { }));
            assertEquals("the API server refused the join token (HTTP 401); the join token or certificate key has expired;"
                    + " run 'kubestead join-script master' on a master and use the new command", e.getMessage());
            assertTrue(!e.getMessage().contains(TOKEN), "never print the token");
        }
    }

    @Test
    void aCertificateKeyThatNoLongerMatchesSaysToRunJoinScript() throws Exception {
        TestPki cluster = new TestPki(tmp.resolve("cluster-pki"));
        String caPem = Files.readString(cluster.caFile());
        try (ControlPlaneStandIn standIn = new ControlPlaneStandIn(tmp, caPem, cluster.caKeyPem(), TOKEN, randomKey())) {
            JoinGateException e = assertThrows(JoinGateException.class,
                    () -> standIn.connector().connect(target(standIn, pin(caPem), randomKey()), m -> { }));
            assertTrue(e.getMessage().startsWith("cannot decrypt etcd-ca.crt") && e.getMessage().contains("join-script master"),
                    e.getMessage());
        }
    }

    static String pin(String caPem) throws Exception {
        return CaHash.of(Pem.certificate(caPem.getBytes(StandardCharsets.US_ASCII)));
    }

    /** As a join command names the cluster; the stand-in's connector swaps in its loopback addresses. */
    static ControlPlaneTarget target(ControlPlaneStandIn standIn, String pin, String key) {
        return new ControlPlaneTarget(URI.create("https://api.kubernetes.kubestead.internal:6444"), TOKEN, pin, key,
                List.of(URI.create("https://10.0.0.5:2379")));
    }
}
