package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.kubeadm.standin.KubeadmCall;
import io.kubestead.agent.kubeadm.standin.KubeadmStandIn;
import io.kubestead.agent.kubeadm.standin.StandInCluster;
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
        return kubeadm(node, cluster, new SupportedVersions().defaultVersion());
    }

    /** A kubeadm stand-in that checks its configs against {@code version}. */
    static KubeadmStandIn kubeadm(StandInNode node, StandInCluster cluster, io.kubestead.agent.version.KubernetesVersion version) {
        return new KubeadmStandIn(version, node.root, cluster, node)
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
        int code = h.run("install", "ha", "load-balancer-address=127.0.0.1:" + closedPort, "taint-control-plane", "yes");
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

    static void writeKubeletConf(KubeadmCall call, Path root) throws java.io.IOException {
        Files.createDirectories(root.resolve("etc/kubernetes"));
        Files.writeString(root.resolve("etc/kubernetes/kubelet.conf"), "kind: Config\n");
    }

    /** The words after "join" in a join command. */
    static String[] joinWords(String command) {
        String words = command.substring(command.indexOf(" join ") + " join ".length()).strip();
        List<String> out = new java.util.ArrayList<>(List.of("join"));
        out.addAll(List.of(words.split(" ")));
        return out.toArray(String[]::new);
    }

    @Test
    void joinScriptsLetAWorkerAndASecondMasterJoinTheSameCluster() throws Exception {
        StandInCluster cluster = new StandInCluster();
        StandInNode first = new StandInNode(tmp.resolve("m1"));
        KubeadmStandIn kubeadm1 = kubeadm(first, cluster);
        assertEquals(0, new CliHarness(tmp, first.root, kubeadm1).run("install", "ha", "yes"));

        CliHarness worker = new CliHarness(tmp, first.root, kubeadm1);
        assertEquals(0, worker.run("join-script", "worker"), worker.err.toString());
        String workerCommand = worker.out.toString().lines().filter(l -> l.contains(" join ")).findFirst().orElseThrow();
        assertTrue(!workerCommand.contains("cert-key=") && !workerCommand.contains("control-plane"), workerCommand);
        assertTrue(kubeadm1.calls().stream().anyMatch(c -> c.command().equals("token create")));

        StandInNode w1 = new StandInNode(tmp.resolve("w1"));
        KubeadmStandIn kubeadmW = new KubeadmStandIn(new SupportedVersions().defaultVersion(), w1.root, cluster, w1)
                .onCall("join", InstallFlowTest::writeKubeletConf);
        CliHarness joinWorker = new CliHarness(tmp, w1.root, kubeadmW);
        String[] ww = joinWords(workerCommand);
        String[] workerWords = java.util.Arrays.copyOf(ww, ww.length + 1);
        workerWords[ww.length] = "node-name=worker-1";
        assertEquals(0, joinWorker.run(workerWords), joinWorker.err + "\n" + kubeadmW.rejections());
        assertTrue(Files.readString(w1.root.resolve("etc/hosts")).contains("api.kubernetes.kubestead.internal"));
        assertTrue(Files.exists(w1.root.resolve("etc/kubernetes/manifests/haproxy.yaml")), "workers run the local balancer too");

        CliHarness masterScript = new CliHarness(tmp, first.root, kubeadm1);
        assertEquals(0, masterScript.run("node-join-script", "--master"), masterScript.err.toString());
        String masterCommand = masterScript.out.toString().lines().filter(l -> l.contains(" join ")).findFirst().orElseThrow();
        assertTrue(masterCommand.contains(" control-plane ") && masterCommand.contains("cert-key="), masterCommand);
        assertTrue(kubeadm1.calls().stream().anyMatch(c -> c.command().equals("init phase upload-certs")));

        // the joining master goes through the control-plane join gate: the cluster it reaches is a loopback stand-in
        StandInNode m2 = new StandInNode(tmp.resolve("m2"));
        KubeadmStandIn kubeadm2;
        try (var controlPlane = ControlPlaneJoinFlowTest.controlPlane(tmp.resolve("cp"), first, masterCommand,
                ControlPlaneJoinFlowTest.word(masterCommand, "token"))) {
            kubeadm2 = new KubeadmStandIn(new SupportedVersions().defaultVersion(), m2.root, cluster, m2)
                    .onCall("join", (call, root) -> {
                        writeKubeletConf(call, root);
                        controlPlane.kubeadmEtcdJoin("master-2");
                    });
            String[] words = joinWords(masterCommand);
            String[] withName = java.util.Arrays.copyOf(words, words.length + 2);
            withName[words.length] = "node-name=master-2";
            withName[words.length + 1] = "private-address=10.0.0.6";
            CliHarness joinMaster2 = new CliHarness(tmp, m2.root, kubeadm2);
            joinMaster2.controlPlaneGate = ControlPlaneJoinFlowTest.gate(controlPlane);
            assertEquals(0, joinMaster2.run(withName), joinMaster2.err + "\n" + kubeadm2.rejections());
        }
        KubeadmCall join = kubeadm2.calls().stream().filter(c -> c.command().equals("join")).findFirst().orElseThrow();
        assertTrue(join.field("JoinConfiguration", "controlPlane.certificateKey") != null);
        assertEquals(0600, join.configMode());
    }

    @Test
    void rerunWithANewBalancerMovesTheEndpointHereAndTellsTheOtherNodesTheirCommand() throws Exception {
        StandInCluster cluster = new StandInCluster();
        StandInNode first = new StandInNode(tmp.resolve("m1"));
        KubeadmStandIn kubeadm1 = kubeadm(first, cluster);
        assertEquals(0, new CliHarness(tmp, first.root, kubeadm1).run("install", "ha", "yes"));
        Path adminConf = first.root.resolve("etc/kubernetes/admin.conf");
        Files.writeString(adminConf, Files.readString(first.root.resolve("root/.kube/config")));

        // a worker that joined through the internal balancer
        CliHarness script = new CliHarness(tmp, first.root, kubeadm1);
        assertEquals(0, script.run("join-script", "worker"));
        String command = script.out.toString().lines().filter(l -> l.contains(" join ")).findFirst().orElseThrow();
        StandInNode w1 = new StandInNode(tmp.resolve("w1"));
        KubeadmStandIn kubeadmW = new KubeadmStandIn(new SupportedVersions().defaultVersion(), w1.root, cluster, w1)
                .onCall("join", (call, root) -> Files.writeString(Files.createDirectories(root.resolve("etc/kubernetes"))
                        .resolve("kubelet.conf"), "clusters:\n- cluster:\n    server: https://api.kubernetes.kubestead.internal:6444\n"));
        String[] ww = joinWords(command);
        String[] workerWords = java.util.Arrays.copyOf(ww, ww.length + 1);
        workerWords[ww.length] = "node-name=worker-1";
        assertEquals(0, new CliHarness(tmp, w1.root, kubeadmW).run(workerWords));
        assertTrue(Files.exists(w1.root.resolve("etc/kubestead/haproxy/haproxy.cfg")));

        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        byte[] caBefore = Files.readAllBytes(first.root.resolve("etc/kubernetes/pki/ca.crt"));
        CliHarness rerun = new CliHarness(tmp, first.root, kubeadm1);
        assertEquals(0, rerun.run("install", "ha", "load-balancer-address=127.0.0.2:" + closedPort, "yes"), rerun.err + "\n" + kubeadm1.rejections());
        List<String> commands = kubeadm1.calls().stream().map(KubeadmCall::command).toList();
        assertTrue(commands.containsAll(List.of("init phase upload-config kubeadm", "init phase bootstrap-token",
                "init phase addon kube-proxy")), commands.toString());
        assertEquals(1, commands.stream().filter(c -> c.equals("init")).count(), "no second init");
        org.junit.jupiter.api.Assertions.assertArrayEquals(caBefore, Files.readAllBytes(first.root.resolve("etc/kubernetes/pki/ca.crt")));
        String hosts = Files.readString(first.root.resolve("etc/hosts"));
        assertTrue(hosts.contains("127.0.0.2") && hosts.contains("api.kubernetes.kubestead.internal"), hosts);
        assertTrue(!Files.exists(first.root.resolve("etc/kubernetes/manifests/haproxy.yaml")), "the internal balancer is gone");
        assertTrue(!Files.exists(first.root.resolve("etc/systemd/system/kubestead-lb-sync.timer")), "and its lb-sync timer");
        String apiserver = PkiText.sans(first.root.resolve("etc/kubernetes/pki/apiserver.crt"));
        assertTrue(apiserver.contains("127.0.0.2"), apiserver);
        assertTrue(Files.readString(adminConf).contains("server: https://api.kubernetes.kubestead.internal:" + closedPort),
                Files.readString(adminConf));
        String out = rerun.out.toString();
        assertTrue(out.contains("The API endpoint moved"), out);
        String setEndpoint = out.lines().filter(l -> l.contains("kubestead set-endpoint ")).findFirst().orElseThrow();
        String[] words = setEndpoint.substring(setEndpoint.indexOf("set-endpoint")).split(" ");

        CliHarness onWorker = new CliHarness(tmp, w1.root, w1);
        assertEquals(0, onWorker.run(words), onWorker.err.toString());
        assertTrue(Files.readString(w1.root.resolve("etc/hosts")).contains("127.0.0.2"));
        assertTrue(!Files.exists(w1.root.resolve("etc/kubestead/haproxy/haproxy.cfg")), "the worker's local balancer is gone");
        assertTrue(!Files.exists(w1.root.resolve("etc/kubernetes/manifests/haproxy.yaml")), "and its static pod");
        assertTrue(!Files.exists(w1.root.resolve("etc/systemd/system/kubestead-lb-sync.timer")), "nothing to follow: no timer");
        assertTrue(w1.displayed().contains("systemctl disable --now kubestead-lb-sync.timer"), w1.displayed().toString());
        assertTrue(Files.readString(w1.root.resolve("etc/kubernetes/kubelet.conf"))
                .contains("server: https://api.kubernetes.kubestead.internal:" + closedPort));
        assertTrue(w1.displayed().contains("systemctl restart kubelet"), w1.displayed().toString());
    }

    @Test
    void lbSyncFollowsTheMastersTheApiReportsAndLeavesTheBalancerAloneWithoutAnAnswer() throws Exception {
        StandInCluster cluster = new StandInCluster();
        StandInNode first = new StandInNode(tmp.resolve("m1"));
        KubeadmStandIn kubeadm1 = kubeadm(first, cluster);
        assertEquals(0, new CliHarness(tmp, first.root, kubeadm1).run("install", "ha", "yes"));
        assertTrue(first.displayed().contains("systemctl enable --now kubestead-lb-sync.timer"), first.displayed().toString());
        assertTrue(Files.readString(first.root.resolve("etc/systemd/system/kubestead-lb-sync.service"))
                .contains("ExecStart=/bin/sh /etc/kubestead/lb-sync-check.sh"));
        assertTrue(Files.readString(first.root.resolve("etc/kubestead/lb-sync-check.sh"))
                .contains("/opt/kubestead/bin/kubestead lb-sync"));
        CliHarness script = new CliHarness(tmp, first.root, kubeadm1);
        assertEquals(0, script.run("join-script", "worker"));
        String command = script.out.toString().lines().filter(l -> l.contains(" join ")).findFirst().orElseThrow();
        StandInNode w1 = new StandInNode(tmp.resolve("w1"));
        KubeadmStandIn kubeadmW = new KubeadmStandIn(new SupportedVersions().defaultVersion(), w1.root, cluster, w1)
                .onCall("join", InstallFlowTest::writeKubeletConf);
        String[] ww = joinWords(command);
        String[] workerWords = java.util.Arrays.copyOf(ww, ww.length + 1);
        workerWords[ww.length] = "node-name=worker-1";
        assertEquals(0, new CliHarness(tmp, w1.root, kubeadmW).run(workerWords));
        Path cfg = w1.root.resolve("etc/kubestead/haproxy/haproxy.cfg");
        assertTrue(!Files.readString(cfg).contains("10.0.0.7"));

        w1.answer("kubectl", c -> StandInNode.ok(c, "node-1 10.0.0.5\nmaster-2 10.0.0.7\nmaster-3 10.0.0.8\n"));
        CliHarness sync = new CliHarness(tmp, w1.root, w1);
        assertEquals(0, sync.run("lb-sync"), sync.err.toString());
        String three = Files.readString(cfg);
        assertTrue(three.contains("10.0.0.5:6443") && three.contains("10.0.0.7:6443") && three.contains("10.0.0.8:6443"), three);
        runHaproxyCheck(cfg);
        CliHarness again = new CliHarness(tmp, w1.root, w1);
        assertEquals(0, again.run("lb-sync"));
        assertEquals("", again.out.toString(), "no change, nothing written");

        w1.answer("kubectl", c -> new io.kubestead.agent.host.ExecResult(c, 1, "", "connection refused"));
        CliHarness down = new CliHarness(tmp, w1.root, w1);
        assertEquals(1, down.run("lb-sync"));
        assertEquals(three, Files.readString(cfg), "left as it is when the API cannot be asked");
    }

    static void runHaproxyCheck(Path cfg) throws Exception {
        Process p = new ProcessBuilder("haproxy", "-c", "-f", cfg.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    @Test
    void rerunningASingleMasterInstallWithHaMakesItHighlyAvailable() throws Exception {
        StandInCluster cluster = new StandInCluster();
        StandInNode first = new StandInNode(tmp.resolve("m1"));
        KubeadmStandIn kubeadm1 = kubeadm(first, cluster);
        assertEquals(0, new CliHarness(tmp, first.root, kubeadm1).run("install", "yes"));
        CliHarness refused = new CliHarness(tmp, first.root, kubeadm1);
        assertEquals(1, refused.run("join-script", "master"));
        assertTrue(refused.err.toString().contains("installed without 'ha'"), refused.err.toString());
        assertTrue(Files.readString(first.root.resolve("etc/hosts")).contains("10.0.0.5"), "single master: the name is the master");

        CliHarness rerun = new CliHarness(tmp, first.root, kubeadm1);
        assertEquals(0, rerun.run("install", "ha", "yes"), rerun.err + "\n" + kubeadm1.rejections());
        assertEquals(1, kubeadm1.calls().stream().filter(c -> c.command().equals("init")).count(), "no second init");
        assertTrue(kubeadm1.calls().stream().anyMatch(c -> c.command().equals("init phase upload-config kubeadm")));
        assertTrue(Files.readString(first.root.resolve("etc/hosts")).contains("127.0.0.1"), "now the internal balancer");
        assertTrue(Files.exists(first.root.resolve("etc/kubernetes/manifests/haproxy.yaml")));
        CliHarness master = new CliHarness(tmp, first.root, kubeadm1);
        assertEquals(0, master.run("join-script", "master"), master.err.toString());
        assertTrue(master.out.toString().contains(" control-plane "), master.out.toString());
    }
}
