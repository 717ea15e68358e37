package io.kubestead.agent.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubestead.agent.cli.CliEnvironment;
import io.kubestead.agent.cli.Main;
import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.HostFacts;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.pki.Pem;
import io.kubestead.agent.realcluster.NamespaceHost;
import io.kubestead.agent.realcluster.RealControlPlane;
import io.kubestead.agent.realcluster.TestBridge;
import io.kubestead.agent.spec.DryRunDir;
import io.kubestead.agent.spec.Prompter;
import io.kubestead.agent.upstream.UpstreamBinaries;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in a real browser against a real control plane. A first master's tree comes from a dry-run install
 * (which also wrote the console's password hash and the generated password), its etcd, API server,
 * controller-manager and scheduler run from kubeadm's manifests in a test host (see {@code realcluster}), three
 * Node objects are made through the API, and the console runs as {@code kubestead console} wires it. Then Debian's
 * chromium, driven by tests/console/console.spec.js through playwright-core, signs in, reads the nodes, makes a
 * worker and a master join command, copies each and reads it back from the clipboard, and takes screenshots (in
 * target/console-browser). Here the copied commands are checked against the cluster: the tokens exist there.
 *
 * Needs root, the upstream binaries, chromium and {@code npm ci} in tests/console: scripts/test provides all and
 * sets KUBESTEAD_UPSTREAM, without which this skips.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConsoleBrowserTest {
    static final Path SPEC_DIR = Path.of("..", "tests", "console").toAbsolutePath().normalize();
    static final String NODE = "cp-1";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void signInSeeTheNodesAddAMasterAndAWorkerAndCopyTheCommands() throws Exception {
        Assumptions.assumeTrue(System.getenv("KUBESTEAD_UPSTREAM") != null && !System.getenv("KUBESTEAD_UPSTREAM").isBlank(),
                "the browser test runs with KUBESTEAD_UPSTREAM=1 (scripts/test sets it)");
        UpstreamBinaries.requireRoot();
        assertTrue(Files.isDirectory(SPEC_DIR.resolve("node_modules/playwright-core")),
                "run 'npm ci' in " + SPEC_DIR + " first (scripts/test does)");
        assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "install chromium (scripts/test-deps does)");
        UpstreamBinaries.Release release = UpstreamBinaries.releases().get(0);
        Path binaries = null;
        for (String program : List.of("kubeadm", "kubectl", "etcd", "kube-apiserver", "kube-controller-manager",
                "kube-scheduler")) {
            binaries = UpstreamBinaries.binary(release, program).getParent();
        }
        Path out = Path.of("target", "console-browser").toAbsolutePath();
        Files.createDirectories(out);

        try (TestBridge bridge = new TestBridge()) {
            String address = bridge.nextAddress();
            Path tree = tmp.resolve(NODE);
            dryRunInstall(tree, address, "install", "ha", "load-balancer-address=" + address + ":6443",
                    "private-address=" + address, "node-name=" + NODE, "kubernetes-version=" + release.bare(), "yes");
            String password = Files.readString(tree.resolve(ConsolePaths.INITIAL_PASSWORD.substring(1))).strip();
            NamespaceHost master = bridge.host(NODE, tree, tmp.resolve("scratch"), binaries);
            Files.createDirectories(tmp.resolve("logs"));
            RealControlPlane controlPlane = new RealControlPlane(master, tmp.resolve("logs"));
            controlPlane.writeManifests("/etc/kubestead/kubeadm-init.yaml");
            controlPlane.start(Duration.ofMinutes(3));
            for (String phase : List.of("upload-config all", "bootstrap-token")) {
                List<String> argv = new ArrayList<>(List.of("kubeadm", "init", "phase"));
                argv.addAll(List.of(phase.split(" ")));
                argv.addAll(List.of("--config", "/etc/kubestead/kubeadm-init.yaml"));
                ok(master.run(Duration.ofMinutes(2), argv.toArray(String[]::new)));
            }
            createNodes(master, tree, address);

            RootedHost host = new RootedHost(NODE, tree, master, new ActionLog());
            StringWriter log = new StringWriter();
            try (ConsoleServer console = ConsoleService.start(host, new InetSocketAddress("127.0.0.1", 0),
                    Optional.of(controlPlane.apiServer()), URI.create("https://" + address + ":2379"), Clock.systemUTC(),
                    new SecureRandom(), new PrintWriter(log, true))) {
                X509Certificate leaf = Pem.certificates(Files.readAllBytes(tree.resolve(ConsolePaths.TLS_CERT.substring(1)))).get(0);
                assertTrue(ConsoleTls.sans(leaf).containsAll(List.of("api.kubernetes.kubestead.internal", address)),
                        "the stable API name and the master's address");
                String spki = Base64.getEncoder().encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(leaf.getPublicKey().getEncoded()));
                ProcessBuilder pb = new ProcessBuilder("node", "console.spec.js").directory(SPEC_DIR.toFile())
                        .redirectErrorStream(true).redirectOutput(out.resolve("console.spec.log").toFile());
                pb.environment().putAll(Map.of("CONSOLE_URL", "https://127.0.0.1:" + console.address().getPort(),
                        "CONSOLE_PASSWORD", password, "CONSOLE_SPKI", spki, "OUT", out.toString(),
                        "EXPECT_NODES", NODE + ":master,worker-1:worker,worker-2:worker"));
                Process node = pb.start();
                boolean ended = node.waitFor(5, TimeUnit.MINUTES);
                if (!ended) {
                    node.descendants().forEach(ProcessHandle::destroyForcibly);
                    node.destroyForcibly();
                }
                String spec = Files.readString(out.resolve("console.spec.log"));
                System.out.println(spec);
                assertTrue(ended && node.exitValue() == 0, "console.spec.js failed:\n" + spec + "\nconsole log:\n" + log);
            }

            // what the browser copied is what the cluster accepts: both tokens exist, the master's carries the key
            JsonNode secrets = JSON.readTree(tree.resolve("var/lib/kubestead/join-secrets.json").toFile());
            String master1 = Files.readString(out.resolve("copied-master.txt"));
            assertTrue(master1.contains("token=" + secrets.path("token").asText()), master1);
            assertTrue(master1.contains("cert-key=" + secrets.path("certificateKey").asText()), master1);
            String worker = Files.readString(out.resolve("copied-worker.txt"));
            String workerToken = worker.replaceAll("(?s).* token=([a-z0-9]{6})\\.[a-z0-9]{16}.*", "$1");
            kubectl(master, "get", "secret", "-n", "kube-system", "bootstrap-token-" + workerToken);
            assertTrue(Files.readString(tree.resolve("var/lib/kubestead/join-worker.sh")).contains("token="
                    + secrets.path("token").asText()), "the scripts on disk follow the last command made");
            assertTrue(Files.size(out.resolve("console.png")) > 10_000, "a screenshot");
        }
    }

    /** cp-1 registers as its kubelet would; two workers are made with admin rights; all three report Ready. */
    private static void createNodes(NamespaceHost master, Path tree, String address) throws Exception {
        List<String[]> nodes = List.of(new String[] {NODE, address, "master"}, new String[] {"worker-1", "10.0.9.11", "worker"},
                new String[] {"worker-2", "10.0.9.12", "worker"});
        for (String[] n : nodes) {
            String labels = "\"kubernetes.io/hostname\": \"" + n[0] + "\""
                    + (n[2].equals("master") ? ", \"node-role.kubernetes.io/control-plane\": \"\"" : "");
            String json = """
                    {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "%s", "labels": {%s}}}
                    """.formatted(n[0], labels);
            Files.writeString(tree.resolve("etc/kubestead/test-node-" + n[0] + ".json"), json);
            kubectl(master, "create", "-f", "/etc/kubestead/test-node-" + n[0] + ".json");
        }
        for (String[] n : nodes) {
            String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
            String status = """
                    {"status": {"addresses": [{"type": "InternalIP", "address": "%s"}],
                     "nodeInfo": {"kubeletVersion": "%s", "machineID": "", "systemUUID": "", "bootID": "",
                      "kernelVersion": "", "osImage": "", "containerRuntimeVersion": "", "kubeProxyVersion": "",
                      "operatingSystem": "linux", "architecture": "amd64"},
                     "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                      "message": "kubelet is posting ready status", "lastHeartbeatTime": "%s", "lastTransitionTime": "%s"}]}}
                    """.formatted(n[1], UpstreamBinaries.releases().get(0).version(), now, now);
            kubectl(master, "patch", "node", n[0], "--subresource=status", "--type=merge", "-p", status);
        }
    }

    private void dryRunInstall(Path tree, String address, String... words) throws Exception {
        DryRunDir.claim(tree);
        Files.createDirectories(tree.resolve("etc"));
        Files.writeString(tree.resolve("etc/hosts"), "127.0.0.1\tlocalhost\n");
        List<String> args = new ArrayList<>(List.of(words));
        args.add("dry-run=" + tree);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment env = new CliEnvironment(new PrintWriter(out, true), new PrintWriter(err, true),
                new HostFacts(NODE, address, "apt"), Prompter.NONE, tmp, Clock.systemUTC(), false, false,
                (ActionLog log) -> { throw new IllegalStateException("a dry run touches no host"); }, Map.of(), Duration.ZERO);
        assertEquals(0, Main.run(env, args.toArray(String[]::new)), "dry-run " + args + ": " + err);
        assertTrue(out.toString().contains("Console password: in " + ConsolePaths.INITIAL_PASSWORD), out.toString());
    }

    private static String kubectl(NamespaceHost master, String... args) {
        List<String> argv = new ArrayList<>(List.of("kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf"));
        argv.addAll(List.of(args));
        return ok(master.run(Duration.ofMinutes(1), argv.toArray(String[]::new))).stdout();
    }

    private static ExecResult ok(ExecResult r) {
        assertTrue(r.ok(), String.join(" ", r.command().argv()) + " exited " + r.exitCode() + ":\n" + r.stdout() + r.stderr());
        return r;
    }
}
