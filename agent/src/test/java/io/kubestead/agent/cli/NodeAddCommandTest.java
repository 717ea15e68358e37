package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubestead.agent.join.JoinSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node add command on a master a real install made (kubeadm stand-in): bad input is refused with one line
 * before anything is issued; a run issues fresh join secrets, reports each host (here, ones nothing answers for:
 * the SSH side is tested against real sshd in NodeAddSshTest), logs the run and says in its exit status whether
 * all joined.
 */
class NodeAddCommandTest {
    @TempDir
    Path tmp;

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        CliHarness h = new CliHarness(tmp);
        for (List<String> args : List.of(List.of("node", "add"), List.of("node", "add", "--master", "--worker", "10.0.0.7"),
                List.of("node", "add", "bad host!"), List.of("node", "add", "-o", "xml", "10.0.0.7"),
                List.of("node", "add", "--parallel", "0", "10.0.0.7"), List.of("node", "add", "--ssh", "10.0.0.7"),
                List.of("node", "add", "--identity", tmp.resolve("none").toString(), "10.0.0.7"))) {
            CliHarness run = new CliHarness(tmp);
            assertEquals(2, run.run(args.toArray(String[]::new)), args + ": " + run.err);
            assertEquals(1, run.err.toString().lines().count(), args + ": " + run.err);
        }
        assertFalse(Files.exists(h.hostRoot.resolve(JoinSecrets.PATH.substring(1))), "nothing issued");
    }

    @Test
    void aRunReportsEveryHostInJsonLogsItAndFailsWhenOneDidNotJoin() throws Exception {
        InstalledMaster m = new InstalledMaster(tmp);
        Path dist = Files.createDirectories(tmp.resolve("dist"));
        Files.writeString(dist.resolve("kubestead-agent-1.0.0-linux-" + arch() + ".tar.gz"), "not read: nothing joins");
        Files.writeString(dist.resolve("SHA256SUMS"), "");
        Files.writeString(dist.resolve("install.sh"), "#!/bin/sh\n");
        long tokens = m.kubeadm.calls().stream().filter(c -> c.command().equals("token create")).count();
        CliHarness noBundle = m.harness();
        assertEquals(2, noBundle.run("node", "add", "10.0.0.9", "--known-hosts", tmp.resolve("known_hosts").toString()),
                noBundle.err.toString());
        assertTrue(noBundle.err.toString().contains("give --bundle DIR"), noBundle.err.toString());
        assertEquals(tokens, m.kubeadm.calls().stream().filter(c -> c.command().equals("token create")).count(),
                "bad input: no token was made");
        CliHarness h = m.harness();
        // port 1 on loopback: nothing listens, so the connection is refused at once
        int rc = h.run("node", "add", "--ssh", "admin@127.0.0.1:1", "127.0.0.2:1", "--known-hosts",
                tmp.resolve("known_hosts").toString(), "--identity", writeKey(), "--bundle", dist.toString(), "-o", "json");
        assertEquals(1, rc, h.out + "\n" + h.err);
        JsonNode report = new ObjectMapper().readTree(h.out.toString());
        assertFalse(report.get("allJoined").asBoolean());
        assertEquals(2, report.get("hosts").size());
        assertEquals("admin", report.get("hosts").get(1).get("user").asText(), "the first --ssh user is the default");
        assertEquals("unreachable", report.get("hosts").get(0).get("result").asText());
        assertTrue(h.err.toString().contains("[127.0.0.1:1] 127.0.0.1:1: cannot reach 127.0.0.1 port 1"), h.err.toString());
        assertEquals(tokens + 1, m.kubeadm.calls().stream().filter(c -> c.command().equals("token create")).count(),
                "a fresh token was made");
        Path logs = m.node.root.resolve("var/log/kubestead");
        try (Stream<Path> s = Files.list(logs)) {
            Path log = s.filter(p -> p.getFileName().toString().startsWith("node-add-")).findFirst().orElseThrow();
            String text = Files.readString(log);
            assertTrue(text.contains("[127.0.0.2:1] unreachable"), text);
            assertTrue(text.contains("0 of 2 hosts joined"), text);
        }
    }

    @Test
    void aWorkerAddedOverSshJoinsAndItsRunLogHasItsOutputWithTheSecretMasked() throws Exception {
        InstalledMaster m = new InstalledMaster(tmp);
        try (io.kubestead.agent.nodeadd.SshHosts hosts = new io.kubestead.agent.nodeadd.SshHosts(
                Files.createDirectories(tmp.resolve("ssh")))) {
            io.kubestead.agent.nodeadd.SshHosts.SshHost w = hosts.start("w1", null, null);
            Path dist = tmp.resolve("dist");
            io.kubestead.agent.nodeadd.SshHosts.agentBundle(dist);
            Files.copy(Path.of("..", "scripts", "install.sh"), dist.resolve("install.sh"));
            Path dry = tmp.resolve("remote-dry");
            CliHarness h = m.harness();
            String label = w.address() + ":" + w.port();
            int rc = h.run("node", "add", "--ssh", "root@" + label, "--identity", hosts.clientKey().toString(),
                    "--known-hosts", tmp.resolve("known_hosts").toString(), "--accept-new-host-key",
                    "--bundle", dist.toString(), "--dry-run", dry.toString());
            assertEquals(0, rc, h.out + "\n" + h.err);
            String out = h.out.toString();
            assertTrue(out.contains("[" + label + "] " + w.knownHostsName() + ": new host key ssh-ed25519 SHA256:"), out);
            assertTrue(out.lines().anyMatch(l -> l.startsWith(label) && l.contains(" worker ") && l.contains(" joined ")), out);
            assertTrue(out.contains("1 of 1 host joined"), out);
            String token = new ObjectMapper().readTree(m.node.root.resolve(JoinSecrets.PATH.substring(1)).toFile())
                    .get("token").asText();
            assertTrue(Files.readString(dry.resolve("etc/kubestead/kubeadm-join.yaml")).contains(token),
                    "the freshly issued token reached the new host's join");
            try (Stream<Path> s = Files.list(m.node.root.resolve("var/log/kubestead"))) {
                Path log = s.filter(p -> p.getFileName().toString().startsWith("node-add-")).findFirst().orElseThrow();
                String text = Files.readString(log);
                assertTrue(text.lines().anyMatch(l -> l.startsWith("[" + label + "] ") && l.endsWith(" joined the cluster as a worker.")),
                        text);
                assertTrue(text.contains("[" + label + "] [INFO] checksum ok for kubestead-agent-"), text);
                assertFalse(text.contains(token.substring(7)), "the token's secret is masked in the run log");
                assertFalse(out.contains(token.substring(7)), "and on the console");
            }
        }
    }

    private String writeKey() throws Exception {
        Path key = tmp.resolve("id_ed25519");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        return key.toString();
    }

    private static String arch() {
        return System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
    }
}
