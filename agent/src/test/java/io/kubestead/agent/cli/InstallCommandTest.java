package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallCommandTest {
    @TempDir
    Path tmp;

    @Test
    void badWordExitsTwoWithOneLineAndWritesNothing() throws IOException {
        CliHarness h = new CliHarness(tmp);
        int code = h.run("install", "ha", "load-balancer-adress=lb:6443", "dry-run");
        assertEquals(2, code);
        String err = h.err.toString();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("'load-balancer-adress=lb:6443'") && err.contains("did you mean 'load-balancer-address'"), err);
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(0, s.count(), "nothing written");
        }
    }

    @Test
    void dryRunWritesTheSpecAndThePlanUnderTheDirectoryOnly() throws IOException {
        CliHarness h = new CliHarness(tmp);
        h.root = false;
        int code = h.run("install", "ha", "load-balancer-address=lb.example.com:6443", "taint-control-plane",
                "dry-run=out");
        assertEquals(0, code, h.err.toString());
        Path dir = tmp.resolve("out");
        JsonNode spec = new ObjectMapper().readTree(dir.resolve("etc/kubestead/install.json").toFile());
        assertEquals("external", spec.at("/loadBalancer/mode").asText());
        assertEquals("lb.example.com:6443", spec.at("/loadBalancer/address").asText());
        assertEquals("lb.example.com:6443", spec.at("/controlPlaneEndpoint").asText());
        assertTrue(spec.at("/taintControlPlane").asBoolean());
        String plan = Files.readString(dir.resolve("plan.txt"));
        assertTrue(plan.contains("== install-spec:"), plan);
        assertTrue(plan.contains("write /etc/kubestead/install.json"), plan);
        assertFalse(Files.exists(tmp.resolve("host")), "the real host was not touched");
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(1, s.count(), "only the dry-run directory was created");
        }
        assertTrue(h.out.toString().contains("Load balancer: external load balancer lb.example.com:6443"));
    }

    @Test
    void everyCommandRefusesTheRootAndForeignDirectoriesAsItsDryRunWithExitTwoWritingNothing() throws IOException {
        Path foreign = Files.createDirectories(tmp.resolve("foreign"));
        Files.writeString(foreign.resolve("keep.txt"), "mine");
        List<List<String>> commands = List.of(List.of("install", "ha", "yes"),
                List.of("join", "endpoint=api.example.internal:6443", "endpoint-address=10.0.0.4",
                        "token=abcdef.0123456789abcdef", "ca-hash=sha256:" + "a".repeat(64), "kubernetes-version=1.33"),
                List.of("reset", "yes"),
                List.of("set-endpoint", "endpoint=api.example.internal:6443", "endpoint-address=10.0.0.4"));
        for (List<String> command : commands) {
            for (String dir : List.of("//", "/tmp/..", "/.", foreign.toString())) {
                CliHarness h = new CliHarness(tmp);
                h.root = false;
                List<String> words = new java.util.ArrayList<>(command);
                words.add("dry-run=" + dir);
                assertEquals(2, h.run(words.toArray(String[]::new)), words + ": " + h.err + h.out);
                String err = h.err.toString();
                assertTrue(err.contains("word 'dry-run=" + dir + "'") && (err.contains("is / itself")
                        || err.contains("is not empty and holds no earlier dry run")), words + ": " + err);
            }
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(foreign), s.toList(), "nothing written");
        }
        try (Stream<Path> s = Files.list(foreign)) {
            assertEquals(List.of(foreign.resolve("keep.txt")), s.toList(), "nothing written");
        }
    }

    @Test
    void aDryRunMarksItsDirectorySoItCanRunAgainThere() throws IOException {
        CliHarness h = new CliHarness(tmp);
        h.root = false;
        assertEquals(0, h.run("install", "ha", "yes", "dry-run=d"), h.err.toString());
        assertTrue(Files.isRegularFile(tmp.resolve("d/.kubestead-dry-run")));
        CliHarness again = new CliHarness(tmp);
        again.root = false;
        assertEquals(0, again.run("install", "ha", "yes", "dry-run=d"), again.err.toString());
        CliHarness reset = new CliHarness(tmp);
        reset.root = false;
        assertEquals(0, reset.run("reset", "yes", "dry-run=d"), reset.err.toString());
    }

    @Test
    void realRunNeedsRoot() {
        CliHarness h = new CliHarness(tmp);
        h.root = false;
        assertEquals(1, h.run("install"));
        assertTrue(h.err.toString().contains("must run as root"));
    }

    @Test
    void rerunAfterSuccessSkipsEveryPhaseButPreflightAndChangesNothing() throws IOException {
        StandInNode node = new StandInNode(tmp.resolve("host"));
        var kubeadm = InstallFlowTest.kubeadm(node, new io.kubestead.agent.kubeadm.standin.StandInCluster());
        CliHarness h = new CliHarness(tmp, node.root, kubeadm);
        assertEquals(0, h.run("install", "yes"), h.err.toString());
        int commandsFirstRun = node.commands.size();
        assertTrue(node.displayed().contains("apt-mark hold kubelet kubeadm kubectl"), node.displayed().toString());
        CliHarness again = new CliHarness(tmp, node.root, kubeadm);
        assertEquals(0, again.run("install", "yes"), again.err.toString());
        List<String> lines = again.out.toString().lines().filter(l -> l.matches("\\(\\d+/\\d+\\) \\[.*")).toList();
        List<String> ran = lines.stream().filter(l -> !l.endsWith("skipped, already done")).toList();
        assertEquals(1, ran.size(), again.out.toString());
        assertTrue(ran.get(0).contains("[preflight]"));
        List<String> rerunCommands = node.displayed().subList(commandsFirstRun, node.commands.size());
        assertTrue(rerunCommands.stream().noneMatch(c -> c.startsWith("apt-get") || c.startsWith("systemctl")
                || c.startsWith("modprobe") || c.startsWith("swapoff")), rerunCommands.toString());
    }

    @Test
    void changedSettingsMakeEveryPhaseCheckAgain() throws IOException {
        assertEquals(0, new CliHarness(tmp).run("install", "dry-run=d"));
        CliHarness h = new CliHarness(tmp);
        assertEquals(0, h.run("install", "ha", "load-balancer-address=10.0.0.10", "dry-run=d"));
        assertTrue(h.out.toString().contains("settings changed"), h.out.toString());
        assertTrue(Files.readString(tmp.resolve("d/etc/kubestead/install.json")).contains("10.0.0.10:6443"));
    }

    @Test
    void helpListsTheWordsAndTheVersionRange() {
        CliHarness h = new CliHarness(tmp);
        assertEquals(0, h.run("install", "--help"));
        String help = h.out.toString();
        for (String word : new String[] {"ha", "load-balancer-address=HOST[:PORT]", "taint-control-plane", "airgap",
            "kubernetes-version=1.N[.P]", "node-name=NAME", "private-address=IP", "public-address=IP",
            "cert-sans=NAME,...", "pod-cidr=CIDR", "service-cidr=CIDR", "cluster-name=NAME", "yes", "dry-run[=DIR]"}) {
            assertTrue(help.contains("  " + word + " "), word);
        }
        assertTrue(help.contains("Kubernetes versions: 1.28 to 1.37"), help);
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        CliHarness h = new CliHarness(tmp);
        assertEquals(2, h.run("instal", "ha"));
        assertEquals("kubestead: unknown command 'instal'; did you mean install? (see 'kubestead --help')\n",
                h.err.toString());
        CliHarness far = new CliHarness(tmp);
        assertEquals(2, far.run("zzzz"));
        assertTrue(far.err.toString().startsWith("kubestead: Unmatched argument at index 0: 'zzzz'"), far.err.toString());
    }

    @Test
    void skipPhasesLeavesThoseOutAndAnUnknownPhaseIsAUsageErrorBeforeAnythingIsWritten() throws IOException {
        CliHarness h = new CliHarness(tmp);
        assertEquals(0, h.run("install", "--skip-phases=cni,post/labels", "dry-run=d"), h.err.toString());
        assertTrue(h.out.toString().contains("[cni] Install the pod network (Flannel): skipped, as asked"), h.out.toString());
        String plan = Files.readString(tmp.resolve("d/plan.txt"));
        assertFalse(plan.contains("kubectl --kubeconfig /etc/kubernetes/admin.conf apply -f /etc/kubestead/cni/flannel.yaml"), plan);

        CliHarness bad = new CliHarness(tmp);
        assertEquals(2, bad.run("install", "--skip-phases=cnii", "dry-run=e"));
        assertTrue(bad.err.toString().contains("'cnii' is not a phase of install; phases are preflight, agent"), bad.err.toString());
        assertFalse(Files.exists(tmp.resolve("e/var/lib/kubestead/state.json")));
    }
}
