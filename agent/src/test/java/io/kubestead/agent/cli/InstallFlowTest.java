package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.kubeadm.validate.KubeadmCall;
import io.kubestead.agent.kubeadm.validate.KubeadmStandIn;
import io.kubestead.agent.kubeadm.validate.StandInCluster;
import io.kubestead.agent.spec.SupportedVersions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real (not dry-run) install of a first master, against a stand-in node and the recording kubeadm stand-in. */
class InstallFlowTest {
    @TempDir
    Path tmp;

    static KubeadmStandIn kubeadm(StandInNode node, StandInCluster cluster) {
        return new KubeadmStandIn(new SupportedVersions().defaultVersion(), node.root, cluster, node)
                .onCall("init", (call, root) -> {
                    Path manifests = root.resolve("etc/kubernetes/manifests");
                    Files.createDirectories(manifests);
                    Files.writeString(manifests.resolve("kube-apiserver.yaml"), "kind: Pod\n");
                    Files.writeString(root.resolve("etc/kubernetes/admin.conf"), "kind: Config\n");
                    Files.writeString(root.resolve("etc/kubernetes/kubelet.conf"), "kind: Config\n");
                });
    }

    @Test
    void firstMasterInitsWithTheGeneratedConfigAndKeepsSecretsPrivate() throws Exception {
        StandInNode node = new StandInNode(tmp.resolve("host"));
        KubeadmStandIn kubeadm = kubeadm(node, new StandInCluster());
        CliHarness h = new CliHarness(tmp, node.root, kubeadm);
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        // the balancer check connects for real: only ever to loopback in tests
        int code = h.run("install", "ha", "load-balancer-address=127.0.0.1:" + closedPort, "taint-control-plane");
        assertEquals(0, code, h.err + "\n" + kubeadm.rejections());
        List<KubeadmCall> inits = kubeadm.calls().stream().filter(c -> c.command().equals("init")).toList();
        assertEquals(1, inits.size());
        KubeadmCall init = inits.get(0);
        assertTrue(init.has("upload-certs"));
        assertEquals("api.kubernetes.kubestead.internal:" + closedPort, init.field("ClusterConfiguration", "controlPlaneEndpoint"));
        assertTrue(h.err.toString().contains("does not forward to this master"), h.err.toString());
        assertTrue(Files.readString(node.root.resolve("etc/hosts")).contains("127.0.0.1 api.kubernetes.kubestead.internal")
                || Files.readString(node.root.resolve("etc/hosts")).contains("127.0.0.1\tapi.kubernetes.kubestead.internal"),
                Files.readString(node.root.resolve("etc/hosts")));
        assertEquals(0600, init.configMode());
        Path secrets = node.root.resolve("var/lib/kubestead/join-secrets.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
        String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(secrets.toFile()).get("token").asText();
        assertTrue(!h.out.toString().contains(token) && !h.err.toString().contains(token), "token never printed");
    }
}
