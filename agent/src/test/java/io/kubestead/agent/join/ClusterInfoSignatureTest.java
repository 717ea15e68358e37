package io.kubestead.agent.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubestead.agent.etcd.TestPki;
import io.kubestead.agent.kubeadm.BootstrapToken;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bootstrap signer's JWS on cluster-info: computed as Kubernetes computes it, and required (with the CA pin)
 * before a joining master trusts the API server. The stand-in API server's signatures come from openssl.
 */
class ClusterInfoSignatureTest {
    static final String TOKEN = "abcdef.0123456789abcdef";
    // k8s.io/cluster-bootstrap/token/jws/jws_test.go
    static final String K8S_CONTENT = "Hello from the other side. I must have called a thousand times.";
    static final String K8S_SIGNATURE = "eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..VShe2taLd-YTrmWuRkcL_8QTNDHYxQIEBsAYYiIj1_8";

    @TempDir
    Path tmp;
    FakeApiServer server;
    String caPem;
    String pin;

    @BeforeEach
    void serve() throws Exception {
        TestPki pki = new TestPki(tmp.resolve("pki"));
        caPem = Files.readString(pki.caFile());
        pin = ControlPlaneAccessTest.pin(caPem);
        server = new FakeApiServer(pki, TOKEN);
        server.store().create("/api/v1/namespaces/kube-public/configmaps",
                KubeadmCertsFixture.clusterInfo(caPem, "https://10.0.0.10:6443", TOKEN));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theSignatureIsKubernetesOwnForItsTestVectorAndForOpensslsHmac() {
        assertEquals(K8S_SIGNATURE, ClusterInfoSignature.detached(K8S_CONTENT, "joshua", "my voice is my passcode"));
        assertEquals("eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..7Ui1ALizW4jXphVUB7xUqC9vLYLL9RZeOFfVLoB7Tgk",
                ClusterInfoSignature.detached("", "joshua", "my voice is my passcode"));
        // the stand-in's independent signer (openssl) agrees with the same vector, and so with the agent
        assertEquals(K8S_SIGNATURE, KubeadmCertsFixture.jws(K8S_CONTENT, "joshua", "my voice is my passcode"));
        BootstrapToken token = BootstrapToken.parse(TOKEN);
        String kubeconfig = clusterInfo().path("data").path("kubeconfig").asText();
        assertEquals(KubeadmCertsFixture.jws(kubeconfig, "abcdef", "0123456789abcdef"),
                ClusterInfoSignature.detached(kubeconfig, token));
        String good = ClusterInfoSignature.detached(kubeconfig, token);
        assertTrue(ClusterInfoSignature.matches(good, kubeconfig, token));
        assertFalse(ClusterInfoSignature.matches(good + "foo", kubeconfig, token), "the whole string is compared");
        assertFalse(ClusterInfoSignature.matches(good, kubeconfig + " ", token));
        assertFalse(ClusterInfoSignature.matches(good, kubeconfig, BootstrapToken.parse("abcdef.0123456789abcdeg")));
        // keyed with the secret alone, as the bootstrap signer does, not with "id.secret"
        assertFalse(good.equals(ClusterInfoSignature.detached(kubeconfig, "abcdef", TOKEN)));
    }

    @Test
    void aSignedClusterInfoWithThePinnedCaIsTrusted() {
        List<String> progress = new ArrayList<>();
        assertEquals(cert(caPem), cert(fetch(TOKEN, Duration.ZERO, Sleeper.system(), progress::add)));
        assertEquals(List.of(), progress);
    }

    @Test
    void noSignatureForTheTokenIdIsRefusedWithTheJoinScriptInstruction() {
        JoinGateException e = assertThrows(JoinGateException.class,
                () -> fetch("zzzzzz.0123456789abcdef", Duration.ZERO, Sleeper.system(), m -> { }));
        assertEquals("kube-public/cluster-info from " + server.uri() + " has no signature for token id zzzzzz, so this"
                + " cluster does not know the join token; the join token or certificate key has expired; run"
                + " 'kubestead join-script master' on a master and use the new command", e.getMessage());
        assertEquals(0, server.requestsWithToken());
    }

    @Test
    void aSignatureThatAppearsWhileWaitingIsAccepted() {
        ObjectNode unsigned = clusterInfo();
        ((ObjectNode) unsigned.path("data")).remove("jws-kubeconfig-abcdef");
        server.store().update(ClusterInfo.PATH, unsigned);
        List<String> progress = new ArrayList<>();
        // the bootstrap signer catches up during the first wait
        Sleeper signer = d -> {
            ObjectNode signed = clusterInfo();
            KubeadmCertsFixture.sign((ObjectNode) signed.path("data"), TOKEN);
            server.store().update(ClusterInfo.PATH, signed);
        };
        assertEquals(cert(caPem), cert(fetch(TOKEN, Duration.ofMinutes(1), signer, progress::add)));
        assertEquals(List.of("kube-public/cluster-info from " + server.uri() + " has no signature for token id abcdef"
                + " yet, waiting up to 60 s for the bootstrap signer"), progress);
    }

    @Test
    void aWrongTokenSecretIsRefusedAndNeverPrinted() {
        String wrong = "abcdef.aaaaaaaaaaaaaaaa";
        JoinGateException e = assertThrows(JoinGateException.class,
                () -> fetch(wrong, Duration.ofMinutes(1), Sleeper.system(), m -> { }));
        assertEquals(mismatch(), e.getMessage());
        assertFalse(e.getMessage().contains("aaaaaaaaaaaaaaaa") || e.getMessage().contains("0123456789abcdef"));
        assertEquals(0, server.requestsWithToken());
    }

    @Test
    void aKubeconfigAlteredOnTheWayIsRefusedEvenWithTheRightCa() {
        // same CA (so the pin alone would pass), another server: what someone in between would send a joiner to
        ObjectNode altered = clusterInfo();
        ObjectNode data = (ObjectNode) altered.path("data");
        data.put("kubeconfig", data.path("kubeconfig").asText().replace("https://10.0.0.10:6443", "https://10.6.6.6:6443"));
        server.store().update(ClusterInfo.PATH, altered);
        JoinGateException e = assertThrows(JoinGateException.class,
                () -> fetch(TOKEN, Duration.ofMinutes(1), Sleeper.system(), m -> { }));
        assertEquals(mismatch(), e.getMessage());
    }

    @Test
    void anotherClustersKubeconfigUnderTheCopiedSignatureIsRefused() throws Exception {
        // someone in between without the token: their own CA, the real cluster's signature copied over
        ObjectNode real = clusterInfo();
        String otherCa = Files.readString(new TestPki(tmp.resolve("other")).caFile());
        ObjectNode forged = KubeadmCertsFixture.clusterInfo(otherCa, "https://10.0.0.10:6443");
        ((ObjectNode) forged.path("data")).set("jws-kubeconfig-abcdef", real.path("data").path("jws-kubeconfig-abcdef"));
        ((ObjectNode) forged.path("metadata")).put("resourceVersion", real.path("metadata").path("resourceVersion").asText());
        server.store().update(ClusterInfo.PATH, forged);
        JoinGateException e = assertThrows(JoinGateException.class,
                () -> fetch(TOKEN, Duration.ZERO, Sleeper.system(), m -> { }));
        assertEquals(mismatch(), e.getMessage());
    }

    @Test
    void bothChecksMustPassAValidSignatureDoesNotExcuseAnotherCa() throws Exception {
        String otherPin = ControlPlaneAccessTest.pin(Files.readString(new TestPki(tmp.resolve("other")).caFile()));
        JoinGateException e = assertThrows(JoinGateException.class, () -> ClusterInfo.pinnedCa(server.uri(),
                BootstrapToken.parse(TOKEN), otherPin, Duration.ofSeconds(5), Duration.ZERO, Clock.systemUTC(),
                Sleeper.system(), m -> { }));
        assertTrue(e.getMessage().contains("is not the join command's ca-hash (" + otherPin + ")"), e.getMessage());
    }

    String mismatch() {
        return "kube-public/cluster-info from " + server.uri() + " does not match its signature for token id abcdef: the"
                + " join token is wrong or the answer was altered on the way; check the endpoint, or run 'kubestead"
                + " join-script master' on a master and use the new command";
    }

    static java.security.cert.X509Certificate cert(String pem) {
        try {
            return io.kubestead.agent.pki.Pem.certificate(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    ObjectNode clusterInfo() {
        return server.store().get(ClusterInfo.PATH).orElseThrow();
    }

    String fetch(String token, Duration patience, Sleeper sleeper, java.util.function.Consumer<String> progress) {
        URI uri = server.uri();
        return ClusterInfo.pinnedCa(uri, BootstrapToken.parse(token), pin, Duration.ofSeconds(5), patience,
                Clock.systemUTC(), sleeper, progress);
    }
}
