package io.kubestead.agent.status;

import static io.kubestead.agent.status.StatusFixtures.NOW;
import static io.kubestead.agent.status.StatusFixtures.cert;
import static io.kubestead.agent.status.StatusFixtures.master;
import static io.kubestead.agent.status.StatusFixtures.member;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusRenderTest {
    static ClusterStatus sample() {
        List<NodeStatus> nodes = List.of(master("m1", true, 0), master("m2", true, 0));
        EtcdStatus etcd = StatusFixtures.etcd(member("m1", true, true), member("m2", false, false));
        BalancerStatus lb = new BalancerStatus("internal", "127.0.0.1:6444", List.of(
                new BalancerStatus.BackendStatus("m1", "10.0.0.1:6443", true, "ready"),
                new BalancerStatus.BackendStatus("m2", "10.0.0.2:6443", false, "connection refused")));
        List<CertificateStatus> certs = List.of(cert("apiserver", Duration.ofDays(300)), cert("front-proxy-client", Duration.ofDays(10)));
        List<JoinScriptStatus> scripts = List.of(
                new JoinScriptStatus("master", "/var/lib/kubestead/join-master.sh", true, Optional.of(NOW.minusSeconds(60))),
                new JoinScriptStatus("worker", "/var/lib/kubestead/join-worker.sh", true, Optional.of(NOW.plusSeconds(3600))));
        return new ClusterStatus(NOW, "m1", nodes, etcd, lb, certs, scripts,
                AdviceRules.evaluate(nodes, etcd, lb, certs, NOW));
    }

    @Test
    void textShowsEverySectionAndEachAdviceWithItsReason() {
        String text = StatusText.render(sample());
        assertTrue(text.contains("  m1    master  Ready  v1.34.4  3d   " + NodeStatus.CONTROL_PLANE_TAINT), text);
        assertTrue(text.contains("ETCD: 1 of 2 voters healthy, quorum 2, NO QUORUM, leader m1, learners 0"), text);
        assertTrue(text.contains("m2      " + member("m2", false, false).id()), text);
        assertTrue(text.contains("BALANCER: internal at 127.0.0.1:6444 (health seen from m1)"), text);
        assertTrue(text.contains("DOWN: connection refused"), text);
        assertTrue(text.contains("front-proxy-client  " + NOW.plus(Duration.ofDays(10)) + "  10d"), text);
        assertTrue(text.contains("master: /var/lib/kubestead/join-master.sh, expired"), text);
        assertTrue(text.contains("kubestead join-script master makes a new one"), text);
        assertTrue(text.contains("worker: /var/lib/kubestead/join-worker.sh, valid until " + NOW.plusSeconds(3600)), text);
        assertTrue(text.contains("ADVICE (4)"), text);
        assertTrue(text.contains("- front-proxy-client: renew it: kubestead certs renew front-proxy-client\n"
                + "  why: front-proxy-client expires in 10d"), text);
    }

    @Test
    void jsonCarriesTheSameFactsUnderStableNames() throws Exception {
        JsonNode j = new ObjectMapper().readTree(StatusJson.render(sample()));
        assertEquals("KubesteadStatus", j.path("kind").asText());
        assertFalse(j.path("healthy").asBoolean());
        assertEquals("master", j.path("nodes").path(0).path("role").asText());
        assertEquals("True", j.path("nodes").path(0).path("ready").asText());
        assertEquals(3 * 86400, j.path("nodes").path(0).path("ageSeconds").asLong());
        assertEquals(2, j.path("etcd").path("voters").asInt());
        assertFalse(j.path("etcd").path("hasQuorum").asBoolean());
        assertEquals("m1", j.path("etcd").path("leader").asText());
        assertEquals(3 << 20, j.path("etcd").path("members").path(0).path("dbSizeBytes").asLong());
        assertEquals("connection refused", j.path("balancer").path("backends").path(1).path("detail").asText());
        assertEquals(10 * 86400, j.path("certificates").path(1).path("remainingSeconds").asLong());
        assertTrue(j.path("joinScripts").path(0).path("expired").asBoolean());
        assertEquals(List.of("MASTER_COUNT", "ETCD_MEMBER_UNHEALTHY", "BACKEND_DOWN", "CERTIFICATE_EXPIRY"),
                j.path("advice").findValuesAsText("kind"));
    }

    @Test
    void aHealthyClusterSaysSo() {
        List<NodeStatus> nodes = List.of(master("m1", true, 0), master("m2", true, 0), master("m3", true, 0));
        ClusterStatus s = new ClusterStatus(NOW, "m1", nodes, AdviceRulesTest.HEALTHY_ETCD,
                StatusFixtures.balancer(), List.of(), List.of(), List.of());
        assertTrue(s.healthy());
        assertTrue(StatusText.render(s).endsWith("ADVICE: none, the cluster is healthy\n"));
    }
}
