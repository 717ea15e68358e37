package io.kubestead.agent.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.host.MemoryHost;
import io.kubestead.agent.join.FakeKubeApi;
import io.kubestead.agent.tls.TrustAnyServer;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The collector's own logic: pods read page by page, and sources that cannot be asked become advice. */
class StatusCollectorTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void podsAreReadInPagesAndAnUnreachableEtcdIsAFinding() throws Exception {
        FakeKubeApi api = new FakeKubeApi();
        api.put("/api/v1/nodes", (ObjectNode) JSON.readTree("""
                {"items": [{"metadata": {"name": "w1", "creationTimestamp": "2026-12-01T10:00:00Z"},
                  "status": {"allocatable": {"cpu": "1", "memory": "1Gi"}, "conditions": [{"type": "Ready", "status": "True"}]}}]}"""));
        api.put(StatusCollector.podsPage(1, ""), page("a-continue-token", "600m"));
        api.put(StatusCollector.podsPage(1, "a-continue-token"), page("", "300m"));
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        EtcdClient etcd = new EtcdClient(List.of(URI.create("https://127.0.0.1:" + closed)), TrustAnyServer.context(),
                Duration.ofSeconds(2));
        ClusterStatus s = new StatusCollector(new MemoryHost("m1"), api, etcd, hostPort -> new BackendProbe.Answer(true, "ready"),
                Clock.fixed(StatusFixtures.NOW, ZoneOffset.UTC), 1, java.util.Optional.empty()).collect();
        assertEquals(900, s.nodes().get(0).requested().cpuMillis(), "both pages counted");
        assertFalse(s.etcd().reachable());
        assertTrue(s.advice().stream().anyMatch(a -> a.kind() == Advice.Kind.ETCD_MEMBER_UNHEALTHY
                && a.reason().startsWith("etcd could not be asked")), s.advice().toString());
        assertTrue(s.advice().stream().anyMatch(a -> a.kind() == Advice.Kind.WORKER_CAPACITY), "90% of 1 CPU");
        assertEquals("unknown", s.balancer().mode(), "no balancer.json on this host");
        assertEquals(List.of(), s.certificates(), "no PKI on this host");
    }

    private static ObjectNode page(String next, String cpu) throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"metadata": {"continue": "%s"}, "items": [{"metadata": {"namespace": "default"}, "spec": {"nodeName": "w1",
                  "containers": [{"resources": {"requests": {"cpu": "%s"}}}]}, "status": {"phase": "Running"}}]}"""
                .formatted(next, cpu));
    }
}
