package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.kubeadm.standin.KubeadmStandIn;
import io.kubestead.agent.kubeadm.standin.StandInCluster;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent dies in the middle of each phase of the first master's install (it stops dead right after a host
 * command or file write, as a kill would leave it) and is run again: the rerun finishes, the CA is the one the
 * killed run made, and kubeadm init ran to completion once.
 */
class KillAndResumeTest {
    @TempDir
    Path tmp;

    /** What a kill leaves: nothing after this point runs, no cleanup, no state record. */
    static final class Killed extends Error {
        Killed() {
            super("killed");
        }
    }

    /** A host that dies right after its {@code killAfter}-th change; records which phase each change belonged to. */
    static final class KillingHost implements Host {
        final RootedHost inner;
        final ActionLog log;
        final int killAfter;
        final AtomicInteger changes = new AtomicInteger();
        final List<String> phaseOfChange = new ArrayList<>();

        KillingHost(RootedHost inner, ActionLog log, int killAfter) {
            this.inner = inner;
            this.log = log;
            this.killAfter = killAfter;
        }

        private void changed() {
            phaseOfChange.add(log.currentSection());
            if (changes.incrementAndGet() == killAfter) {
                throw new Killed();
            }
        }

        @Override public String name() { return inner.name(); }
        @Override public ExecResult run(Command c) { ExecResult r = inner.run(c); changed(); return r; }
        @Override public void writeFile(String p, byte[] b, int m) { inner.writeFile(p, b, m); changed(); }
        @Override public Optional<byte[]> readFile(String p) { return inner.readFile(p); }
        @Override public boolean exists(String p) { return inner.exists(p); }
        @Override public void delete(String p) { inner.delete(p); changed(); }
        @Override public void move(String a, String b) { inner.move(a, b); changed(); }
        @Override public void mkdirs(String p, int m) { inner.mkdirs(p, m); }
        @Override public List<String> list(String d) { return inner.list(d); }
        @Override public Optional<Integer> mode(String p) { return inner.mode(p); }
    }

    private final java.io.StringWriter err = new java.io.StringWriter();

    private int install(StandInNode node, KubeadmStandIn kubeadm, int killAfter, List<KillingHost> hosts) {
        err.getBuffer().setLength(0);
        CliEnvironment env = new CliEnvironment(new PrintWriter(new java.io.StringWriter(), true),
                new PrintWriter(err, true), new io.kubestead.agent.host.HostFacts("node-1", "10.0.0.5", "apt"),
                io.kubestead.agent.spec.Prompter.NONE, tmp, Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC),
                true, false, log -> {
                    KillingHost h = new KillingHost(new RootedHost("test", node.root, kubeadm, log), log, killAfter);
                    hosts.add(h);
                    return h;
                }, Map.of(), java.time.Duration.ZERO);
        return Main.run(env, "install", "ha", "yes", "key-algorithm=ecdsa-p256");
    }

    @Test
    void killedInTheMiddleOfEachPhaseTheRerunFinishesWithTheSameCa() throws Exception {
        // one undisturbed run, to learn which changes belong to which phase
        StandInNode probe = new StandInNode(tmp.resolve("probe"));
        List<KillingHost> probeHosts = new ArrayList<>();
        assertEquals(0, install(probe, InstallFlowTest.kubeadm(probe, new StandInCluster()), -1, probeHosts));
        List<String> phases = probeHosts.get(0).phaseOfChange;
        Map<String, List<Integer>> changesByPhase = new LinkedHashMap<>();
        for (int i = 0; i < phases.size(); i++) {
            changesByPhase.computeIfAbsent(phases.get(i), k -> new ArrayList<>()).add(i + 1);
        }
        TreeSet<Integer> killPoints = new TreeSet<>();
        changesByPhase.values().forEach(l -> {
            killPoints.add(l.get(0));
            killPoints.add(l.get(l.size() / 2));
        });
        assertTrue(changesByPhase.size() >= 10, changesByPhase.keySet().toString());

        for (int killAfter : killPoints) {
            StandInNode node = new StandInNode(tmp.resolve("n" + killAfter));
            KubeadmStandIn kubeadm = InstallFlowTest.kubeadm(node, new StandInCluster());
            List<KillingHost> hosts = new ArrayList<>();
            assertThrows(Killed.class, () -> install(node, kubeadm, killAfter, hosts), "kill point " + killAfter);
            Path caCrt = node.root.resolve("etc/kubernetes/pki/ca.crt");
            Path caKey = node.root.resolve("etc/kubernetes/pki/ca.key");
            byte[] crtBefore = Files.exists(caCrt) ? Files.readAllBytes(caCrt) : null;
            byte[] keyBefore = Files.exists(caKey) ? Files.readAllBytes(caKey) : null;

            String phase = phases.get(killAfter - 1);
            assertEquals(0, install(node, kubeadm, -1, hosts), "rerun after a kill in " + phase + " (change " + killAfter + ")"
                    + "\n" + err + kubeadm.rejections());
            if (crtBefore != null) {
                assertArrayEquals(crtBefore, Files.readAllBytes(caCrt), "CA certificate replaced after a kill in " + phase);
                assertArrayEquals(keyBefore, Files.readAllBytes(caKey), "CA key replaced after a kill in " + phase);
            }
            assertTrue(Files.exists(node.root.resolve("var/lib/kubestead/join-worker.sh")), phase);
            long inits = kubeadm.calls().stream().filter(c -> c.command().equals("init")).count();
            assertTrue(inits >= 1 && inits <= 2, "init ran " + inits + " times after a kill in " + phase);
            try (var s = Files.list(node.root.resolve("etc/kubernetes/pki"))) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no half-written files");
            }
        }
    }
}
