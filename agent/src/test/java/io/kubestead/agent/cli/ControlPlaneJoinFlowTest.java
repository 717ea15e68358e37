package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.EtcdMember;
import io.kubestead.agent.join.ControlPlaneStandIn;
import io.kubestead.agent.join.ControlPlaneTarget;
import io.kubestead.agent.join.LearnerWatcher;
import io.kubestead.agent.kubeadm.standin.KubeadmStandIn;
import io.kubestead.agent.kubeadm.standin.StandInCluster;
import io.kubestead.agent.plan.phases.ControlPlaneGateSetup;
import io.kubestead.agent.spec.SupportedVersions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubestead join control-plane ...} through the control-plane join gate: a first master installed for real
 * (stand-in node and kubeadm), its join command, and the cluster the joiners reach as loopback stand-ins (API with
 * cluster-info, kubeadm-certs and the Lease; a real etcd that each kubeadm join grows by a learner, then a voter).
 */
class ControlPlaneJoinFlowTest {
    @TempDir
    Path tmp;
    final StandInCluster cluster = new StandInCluster();
    final ExecutorService pool = Executors.newFixedThreadPool(2);
    StandInNode first;
    String masterCommand;
    ControlPlaneStandIn controlPlane;

    @BeforeEach
    void installFirstMaster() throws Exception {
        first = new StandInNode(tmp.resolve("m1"));
        KubeadmStandIn kubeadm1 = InstallFlowTest.kubeadm(first, cluster);
        CliHarness install = new CliHarness(tmp, first.root, kubeadm1);
        assertEquals(0, install.run("install", "ha", "yes"), install.err.toString());
        // the first master let joining masters (bootstrap-token group) hold the Lease
        try (var rbac = getClass().getResourceAsStream("/io/kubestead/agent/join/control-plane-join-lock-rbac.yaml")) {
            assertEquals(new String(rbac.readAllBytes()), Files.readString(first.root.resolve("etc/kubestead/join-lock-rbac.yaml")));
        }
        assertTrue(first.displayed().contains(
                "kubectl --kubeconfig /etc/kubernetes/admin.conf apply -f /etc/kubestead/join-lock-rbac.yaml"),
                first.displayed().toString());
        String out = install.out.toString();
        assertTrue(out.indexOf("kubeadm/init") >= 0 && out.indexOf("post/join-lock-rbac") > out.indexOf("kubeadm/init"),
                "applied right after kubeadm init: " + out);
        CliHarness script = new CliHarness(tmp, first.root, kubeadm1);
        assertEquals(0, script.run("join-script", "master"), script.err.toString());
        masterCommand = script.out.toString().lines().filter(l -> l.contains(" join ")).findFirst().orElseThrow();
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    /** The stand-in control plane for the first master's CA, accepting {@code token}. */
    static ControlPlaneStandIn controlPlane(Path dir, StandInNode first, String masterCommand, String token) throws Exception {
        return new ControlPlaneStandIn(dir, Files.readString(first.root.resolve("etc/kubernetes/pki/ca.crt")),
                Files.readString(first.root.resolve("etc/kubernetes/pki/ca.key")), token, word(masterCommand, "cert-key"));
    }

    static String word(String command, String key) {
        return Arrays.stream(command.split(" ")).filter(w -> w.startsWith(key + "="))
                .map(w -> w.substring(key.length() + 1)).findFirst().orElseThrow(() -> new AssertionError(key + " in " + command));
    }

    static ControlPlaneGateSetup gate(ControlPlaneStandIn cp) {
        return new ControlPlaneGateSetup(cp.connector(), ControlPlaneStandIn.FAST, Clock.systemUTC());
    }

    /** A master-to-be whose kubeadm join, like the real one, writes kubelet.conf and joins etcd as learner, then voter. */
    CliHarness master(String name, AtomicInteger inside, AtomicInteger maxInside) throws Exception {
        StandInNode node = new StandInNode(tmp.resolve(name));
        KubeadmStandIn kubeadm = new KubeadmStandIn(new SupportedVersions().defaultVersion(), node.root, cluster, node)
                .onCall("join", (call, root) -> {
                    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    try {
                        InstallFlowTest.writeKubeletConf(call, root);
                        controlPlane.kubeadmEtcdJoin(name);
                    } finally {
                        inside.decrementAndGet();
                    }
                });
        CliHarness h = new CliHarness(tmp.resolve(name), node.root, kubeadm);
        h.controlPlaneGate = gate(controlPlane);
        return h;
    }

    static String[] words(String command, String... extra) {
        List<String> w = new ArrayList<>(List.of(InstallFlowTest.joinWords(command)));
        w.addAll(List.of(extra));
        return w.toArray(String[]::new);
    }

    @Test
    void twoMastersJoiningAtTheSameMomentBothSucceedOneAfterTheOther() throws Exception {
        controlPlane = controlPlane(tmp.resolve("cp"), first, masterCommand, word(masterCommand, "token"));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        List<String> names = List.of("master-2", "master-3");
        List<CliHarness> harnesses = new ArrayList<>();
        for (String name : names) {
            harnesses.add(master(name, inside, maxInside));
        }
        CyclicBarrier together = new CyclicBarrier(2);
        EtcdClient etcd = controlPlane.etcdClient();
        List<Integer> codes = new ArrayList<>();
        try (LearnerWatcher watcher = new LearnerWatcher(etcd)) {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                CliHarness h = harnesses.get(i);
                String[] w = words(masterCommand, "node-name=" + names.get(i), "private-address=10.0.0." + (6 + i));
                runs.add(pool.submit(() -> {
                    together.await();
                    return h.run(w);
                }));
            }
            for (Future<Integer> run : runs) {
                codes.add(run.get());
            }
            assertTrue(watcher.polls() > 0);
            assertTrue(watcher.maxLearners() <= 1, "learners at once: " + watcher.maxLearners());
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(0, codes.get(i), names.get(i) + ": " + harnesses.get(i).err + harnesses.get(i).out);
        }
        assertEquals(1, maxInside.get(), "the two kubeadm joins overlapped");
        List<EtcdMember> members = etcd.members();
        assertEquals(List.of("cp-1", "master-2", "master-3"), members.stream().map(EtcdMember::name).sorted().toList());
        for (EtcdMember m : members) {
            assertFalse(m.learner(), m.label());
            assertTrue(etcd.healthy(m), m.label());
        }
        String out = harnesses.get(0).out + "" + harnesses.get(1).out;
        assertTrue(out.matches("(?s).*waiting for master-[23] to finish joining.*"), out);
        assertTrue(out.contains("acquired the control-plane join lock"), out);
        // the joiners aimed at what the join command says: the stable API name and the first master's etcd
        for (ControlPlaneTarget t : controlPlane.targets()) {
            assertEquals(URI.create("https://api.kubernetes.kubestead.internal:6444"), t.api());
            assertEquals(List.of(URI.create("https://10.0.0.5:2379")), t.etcd());
        }
        assertEquals(2, controlPlane.targets().size());
        assertTrue(controlPlane.api().store().get("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/"
                + "kubestead-control-plane-join").orElseThrow().path("spec").path("holderIdentity").isMissingNode(),
                "the lock is free afterwards");
    }

    @Test
    void anExpiredTokenFailsWithTheJoinScriptInstructionBeforeKubeadmRuns() throws Exception {
        // the bootstrap signer signs cluster-info only for live tokens: an expired one finds no signature
        controlPlane = controlPlane(tmp.resolve("cp"), first, masterCommand, "zzzzzz.0123456789abcdef");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        CliHarness h = master("master-2", inside, maxInside);
        h.controlPlaneGate = new ControlPlaneGateSetup(controlPlane.connector(Duration.ZERO), ControlPlaneStandIn.FAST,
                Clock.systemUTC());
        int code = h.run(words(masterCommand, "node-name=master-2", "private-address=10.0.0.6"));
        assertEquals(1, code, h.out.toString());
        String id = word(masterCommand, "token").substring(0, 6);
        assertTrue(h.err.toString().contains("has no signature for token id " + id + ", so this cluster does not know"
                + " the join token; the join token or certificate key has expired; run 'kubestead join-script master'"
                + " on a master and use the new command"), h.err.toString());
        assertEquals(0, maxInside.get(), "kubeadm join must not run");
        assertFalse(h.err.toString().contains(word(masterCommand, "token")) || h.out.toString().contains(word(masterCommand, "token")),
                "the token is never printed");
    }

    @Test
    void aClusterWithoutTheJoinLockGrantSaysHowToAddIt() throws Exception {
        controlPlane = controlPlane(tmp.resolve("cp"), first, masterCommand, word(masterCommand, "token"));
        controlPlane.api().forbid("/apis/coordination.k8s.io/");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        CliHarness h = master("master-2", inside, maxInside);
        assertEquals(1, h.run(words(masterCommand, "node-name=master-2", "private-address=10.0.0.6")), h.out.toString());
        assertTrue(h.err.toString().contains("the API server refused the control-plane join lock")
                && h.err.toString().contains("rerun 'kubestead install' with its original words on the first master"),
                h.err.toString());
        assertEquals(0, maxInside.get(), "kubeadm join must not run");
    }

    @Test
    void aDryRunSaysWhatTheGateWouldDoAndConnectsNowhere() throws Exception {
        StandInNode node = new StandInNode(tmp.resolve("dry"));
        CliHarness h = new CliHarness(tmp.resolve("dry-wd"), node.root, node); // its default gate fails if called
        h.root = false;
        int code = h.run(words(masterCommand, "node-name=master-2", "private-address=10.0.0.6", "dry-run"));
        assertEquals(0, code, h.err.toString());
        String out = h.out.toString();
        assertTrue(out.contains("would fetch kube-public/cluster-info from https://api.kubernetes.kubestead.internal:6444"
                + " and trust its CA only if it is signed for the join token and matches " + word(masterCommand, "ca-hash")),
                out);
        assertTrue(out.contains("would take the control-plane join lock (Lease kube-system/kubestead-control-plane-join)"
                + " as master-2"), out);
        assertTrue(out.contains("would check that etcd at [https://10.0.0.5:2379] is healthy with no learner pending"), out);
        assertTrue(out.contains("would wait until etcd member master-2 is a healthy voter"), out);
    }
}
