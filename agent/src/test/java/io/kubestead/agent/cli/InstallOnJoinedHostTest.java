package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.kubeadm.standin.KubeadmStandIn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** install rerun on a host that joined: it must not start a second cluster there, and changes nothing. */
class InstallOnJoinedHostTest {
    @TempDir
    Path tmp;

    @Test
    void installOnAJoinedWorkerSaysItJoinedAndChangesNoFile() throws Exception {
        InstalledMaster master = new InstalledMaster(tmp.resolve("m1"));
        InstalledMaster.JoinedWorker worker = master.joinWorker(tmp, tmp.resolve("w1"));
        StandInNode w1 = worker.node();
        KubeadmStandIn kubeadm = worker.kubeadm();
        String command = worker.command();

        Map<String, String> before = tree(w1.root.resolve("etc"));
        int commands = w1.commands.size();
        CliHarness install = new CliHarness(tmp, w1.root, kubeadm);
        assertEquals(0, install.run("install", "ha", "yes"), install.err + "\n" + install.out);
        String out = install.out.toString();
        assertTrue(out.contains("worker-1 already joined the cluster at api.kubernetes.kubestead.internal:6444 as a worker")
                && out.contains("changed nothing"), out);
        assertFalse(out.contains(word(command, "token")), "no join secret in the message: " + out);
        assertEquals(before, tree(w1.root.resolve("etc")), "no file under /etc changed");
        assertEquals(commands, w1.commands.size(), "no command ran: " + w1.commands.subList(commands, w1.commands.size()));
        assertTrue(kubeadm.calls().stream().noneMatch(c -> c.command().equals("init")), "kubeadm init never ran");
    }

    @Test
    void aDryRunOnAJoinedHostStillShowsTheWholePlan() throws Exception {
        StandInNode w1 = new StandInNode(tmp.resolve("w1"));
        w1.write("/etc/kubestead/kubeadm-join.yaml", "kind: JoinConfiguration\nnodeRegistration:\n  name: w1\n");
        w1.write("/etc/kubernetes/kubelet.conf", "apiVersion: v1\n");
        CliHarness install = new CliHarness(tmp, w1.root, cmd -> new io.kubestead.agent.host.ExecResult(cmd, 0, "", ""));
        install.root = false;
        assertEquals(0, install.run("install", "ha", "dry-run=plan"), install.err.toString());
        assertTrue(Files.readString(tmp.resolve("plan/plan.txt")).contains("kubeadm init"));
    }

    private static String word(String command, String key) {
        return java.util.Arrays.stream(command.split(" ")).filter(w -> w.startsWith(key + "=")).findFirst()
                .map(w -> w.substring(key.length() + 1)).orElseThrow();
    }

    private static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                try {
                    sums.put(dir.relativize(f).toString(),
                            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return sums;
    }
}
