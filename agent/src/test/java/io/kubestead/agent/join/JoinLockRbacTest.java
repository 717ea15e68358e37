package io.kubestead.agent.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.PemTls;
import io.kubestead.agent.etcd.TestPki;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JoinLockRbacTest {
    static final String RESOURCE = "/io/kubestead/agent/join/control-plane-join-lock-rbac.yaml";
    @TempDir
    Path tmp;

    @Test
    void grantsTheBootstrapTokenGroupExactlyWhatTheLeaseLockUses() throws Exception {
        List<JsonNode> docs;
        try (InputStream in = getClass().getResourceAsStream(RESOURCE)) {
            assertNotNull(in, RESOURCE);
            MappingIterator<JsonNode> it = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(in);
            docs = it.readAll();
        }
        assertEquals(4, docs.size());
        JsonNode role = docs.get(0);
        JsonNode binding = docs.get(1);
        assertEquals("Role", role.path("kind").asText());
        assertEquals(LeaseLock.NAMESPACE, role.path("metadata").path("namespace").asText());
        JsonNode named = role.path("rules").get(0);
        assertEquals("coordination.k8s.io", named.path("apiGroups").get(0).asText());
        assertEquals(LeaseLock.NAME, named.path("resourceNames").get(0).asText());
        assertEquals("[\"get\",\"update\"]", named.path("verbs").toString());
        assertEquals("[\"create\"]", role.path("rules").get(1).path("verbs").toString());
        assertEquals("RoleBinding", binding.path("kind").asText());
        assertEquals(role.path("metadata").path("name"), binding.path("roleRef").path("name"));
        assertEquals("system:bootstrappers:kubeadm:default-node-token",
                binding.path("subjects").get(0).path("name").asText());
        // workers' lb-sync lists the masters with the kubelet's credentials: list nodes, nothing more
        JsonNode nodes = docs.get(2);
        assertEquals("ClusterRole", nodes.path("kind").asText());
        assertEquals("[{\"apiGroups\":[\"\"],\"resources\":[\"nodes\"],\"verbs\":[\"list\"]}]",
                nodes.path("rules").toString());
        assertEquals("ClusterRoleBinding", docs.get(3).path("kind").asText());
        assertEquals(nodes.path("metadata").path("name"), docs.get(3).path("roleRef").path("name"));
        assertEquals("system:nodes", docs.get(3).path("subjects").get(0).path("name").asText());
    }

    /** Without the RBAC (or with a dead token) the gate stops at once with the API server's words. */
    @Test
    void aRefusedLockRequestFailsTheJoinImmediately() throws Exception {
        TestPki pki = new TestPki(tmp.resolve("pki"));
        try (FakeApiServer server = new FakeApiServer(pki, "abcdef.0123456789abcdef")) {
            KubeApi api = new HttpKubeApi(server.uri(), Files.readString(pki.caFile()), "zzzzzz.0123456789abcdef",
                    Duration.ofSeconds(5));
            TestPki.Files3 c = pki.issue("client");
            EtcdClient unused = new EtcdClient(List.of(URI.create("https://127.0.0.1:1")),
                    PemTls.mutual(c.ca(), c.cert(), c.key()), Duration.ofSeconds(1));
            ControlPlaneJoinGate gate = new ControlPlaneJoinGate(new LeaseLock(api, Clock.systemUTC()), unused,
                    JoinGateSettings.defaults(), Clock.systemUTC(), d -> { throw new AssertionError("no retry"); },
                    m -> { });
            JoinGateException e = assertThrows(JoinGateException.class, () -> gate.join("cp-2", () -> { }));
            assertEquals("the API server refused the control-plane join lock (Lease kube-system/"
                    + "kubestead-control-plane-join): GET " + LeaseLock.PATH + ": HTTP 401: Unauthorized", e.getMessage());
            assertTrue(ExpiredCredentials.explain(e.getMessage(), ExpiredCredentials.Role.MASTER).isPresent(),
                    "an expired token at the lock step maps to the same instruction");
        }
    }
}
