package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.kubeadm.standin.KubeadmStandIn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real install shows what it will do and asks first; yes skips the question, a dry run never asks. */
class InstallConfirmTest {
    @TempDir
    Path tmp;

    private StandInNode node;
    private KubeadmStandIn kubeadm;

    private CliHarness harness(List<String> asked, String answer) throws IOException {
        node = node == null ? new StandInNode(tmp.resolve("host")) : node;
        kubeadm = kubeadm == null ? InstallFlowTest.kubeadm(node, new io.kubestead.agent.kubeadm.standin.StandInCluster())
                : kubeadm;
        CliHarness h = new CliHarness(tmp, node.root, kubeadm);
        h.prompter = q -> {
            asked.add(q);
            return Optional.ofNullable(answer);
        };
        return h;
    }

    /** The host's files, less the host lock (taken before the host is read, as for reset). */
    private List<String> tree() throws IOException {
        try (Stream<Path> s = Files.walk(node.root)) {
            return s.map(p -> "/" + node.root.relativize(p)).filter(p -> !p.equals("/run") && !p.equals("/run/kubestead.lock")).sorted().toList();
        }
    }

    /** Commands that change a host; the checks before the question may only look. */
    private List<String> changes() {
        return node.displayed().stream().filter(c -> c.startsWith("apt-get") || c.startsWith("systemctl")
                || c.startsWith("modprobe") || c.startsWith("swapoff") || c.startsWith("sysctl")).toList();
    }

    private long inits() {
        return kubeadm.calls().stream().filter(c -> c.command().equals("init")).count();
    }

    @Test
    void noChangesNothingAndSaysWhatItWouldHaveDone() throws IOException {
        node = new StandInNode(tmp.resolve("host"));
        List<String> before = tree();
        List<String> asked = new ArrayList<>();
        CliHarness h = harness(asked, "n");
        assertEquals(1, h.run("install", "ha", "load-balancer-address=10.0.0.10:6443"));
        assertEquals(1, asked.size(), asked.toString());
        String q = asked.get(0);
        assertTrue(q.startsWith("This installs Kubernetes on node-1 (10.0.0.5):\n  Kubernetes 1."), q);
        assertTrue(q.contains("online, from the package repositories"), q);
        assertTrue(q.contains("mode: ha, external load balancer 10.0.0.10:6443"), q);
        assertTrue(q.contains("turns swap off, loads kernel modules, installs containerd and the Kubernetes packages,"
                + " and runs kubeadm init"), q);
        assertTrue(q.endsWith("Continue? [y/N] "), q);
        assertEquals("kubestead: install cancelled; nothing was changed\n", h.err.toString());
        assertEquals(List.of(), changes());
        assertEquals(0, inits());
        assertEquals(before, tree(), "no file written, no run log");
    }

    @Test
    void anAnswerOtherThanYesCancels() throws IOException {
        for (String answer : List.of("", "nope", "yess", "q")) {
            List<String> asked = new ArrayList<>();
            assertEquals(1, harness(asked, answer).run("install"), answer);
            assertEquals(1, asked.size());
        }
        assertEquals(List.of(), changes());
        assertTrue(!Files.exists(node.root.resolve("etc/kubestead")));
    }

    @Test
    void yInstallsAndARerunAsksAgain() throws IOException {
        List<String> asked = new ArrayList<>();
        CliHarness h = harness(asked, "Y");
        assertEquals(0, h.run("install"), h.err.toString());
        assertEquals(1, asked.size());
        assertTrue(asked.get(0).contains("mode: a single master (no load balancer)"), asked.get(0));
        assertEquals(1, inits());
        assertTrue(Files.exists(node.root.resolve("etc/kubestead/install.json")));

        List<String> again = new ArrayList<>();
        List<String> treeAfterInstall = tree().stream().filter(p -> !p.startsWith("/var/log/kubestead/")).toList();
        int commands = node.commands.size();
        CliHarness rerun = harness(again, "no");
        assertEquals(1, rerun.run("install"));
        assertTrue(again.get(0).startsWith("This reruns the install of node-1 (10.0.0.5)"), again.get(0));
        assertTrue(again.get(0).contains("(finished steps are skipped)"), again.get(0));
        assertEquals(treeAfterInstall, tree().stream().filter(p -> !p.startsWith("/var/log/kubestead/")).toList());
        assertTrue(node.displayed().subList(commands, node.commands.size()).stream().noneMatch(c -> c.startsWith("apt-get")
                || c.startsWith("systemctl") || c.startsWith("kubectl")));
        assertEquals(1, inits());

        CliHarness yes = harness(again, "yes");
        assertEquals(0, yes.run("install"), yes.err.toString());
    }

    @Test
    void theWordYesSkipsTheQuestion() throws IOException {
        List<String> asked = new ArrayList<>();
        CliHarness h = harness(asked, "n");
        assertEquals(0, h.run("install", "yes"), h.err.toString());
        assertEquals(List.of(), asked);
        assertEquals(1, inits());
    }

    @Test
    void aDryRunNeverAsks() throws IOException {
        List<String> asked = new ArrayList<>();
        CliHarness h = harness(asked, "n");
        h.root = false;
        assertEquals(0, h.run("install", "dry-run=d"), h.err.toString());
        assertEquals(List.of(), asked);
        assertTrue(Files.exists(tmp.resolve("d/plan.txt")));
    }

    @Test
    void noTerminalAndNoYesIsRefusedWithExitTwoChangingNothing() throws IOException {
        node = new StandInNode(tmp.resolve("host"));
        List<String> before = tree();
        CliHarness h = harness(new ArrayList<>(), null);
        assertEquals(2, h.run("install"));
        assertEquals("kubestead: install asks before changing this host and there is no terminal to ask on; add the"
                + " word yes to install without asking\n", h.err.toString());
        assertEquals(List.of(), changes());
        assertEquals(before, tree());
    }

    @Test
    void badInputIsRefusedBeforeTheQuestion() throws IOException {
        List<String> asked = new ArrayList<>();
        CliHarness h = harness(asked, "y");
        assertEquals(2, h.run("install", "--skip-phases=no-such-phase"));
        assertEquals(List.of(), asked);
        CliHarness fifo = harness(asked, "y");
        assertEquals(2, fifo.run("install", "ca-cert=/dev/zero", "ca-key=/dev/zero"));
        assertEquals(List.of(), asked);
    }

    @Test
    void theBalancerPromptComesBeforeTheQuestion() throws IOException {
        List<String> asked = new ArrayList<>();
        CliHarness h = harness(asked, null);
        h.prompter = q -> {
            asked.add(q);
            return Optional.of(q.startsWith("Load balancer address") ? "" : "n");
        };
        assertEquals(1, h.run("install", "ha"));
        assertEquals(2, asked.size(), asked.toString());
        assertTrue(asked.get(0).startsWith("Load balancer address"), asked.get(0));
        assertTrue(asked.get(1).contains("mode: ha, internal load balancer: HAProxy on every node at 127.0.0.1:"), asked.get(1));
        assertTrue(asked.get(1).endsWith("Continue? [y/N] "), asked.get(1));
        assertEquals(List.of(), changes());
    }
}
