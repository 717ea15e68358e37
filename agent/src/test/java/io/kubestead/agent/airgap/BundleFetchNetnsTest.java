package io.kubestead.agent.airgap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.pki.CaHash;
import io.kubestead.agent.pki.CertIssuer;
import io.kubestead.agent.pki.KeyAlgorithm;
import io.kubestead.agent.pki.Pem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One master and one joining node in two network namespaces joined by a veth pair: the master's bundle server
 * (a child JVM in the first namespace) and the joining node's fetch (a child JVM in the second) really talk over
 * the namespaces' link.
 */
class BundleFetchNetnsTest {
    static final String TOKEN = "abcdef.0123456789abcdef";
    @TempDir
    Path dir;
    String master;
    String node;
    String masterAddress;
    Process server;
    int goodPort;
    int strangerPort;
    String caHash;
    Path served;

    @BeforeEach
    void setUp() throws Exception {
        String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
        int net = ThreadLocalRandom.current().nextInt(256);
        master = "ksb-m-" + tag;
        node = "ksb-n-" + tag;
        masterAddress = "10.231." + net + ".1";
        ip("netns", "add", master);
        ip("netns", "add", node);
        ip("-n", master, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", node);
        ip("-n", master, "addr", "add", masterAddress + "/30", "dev", "eth0");
        ip("-n", node, "addr", "add", "10.231." + net + ".2/30", "dev", "eth0");
        for (String ns : List.of(master, node)) {
            ip("-n", ns, "link", "set", "eth0", "up");
            ip("-n", ns, "link", "set", "lo", "up");
        }
        served = FakeBundle.standard().writeTo(dir.resolve("master-bundle"));
        SecureRandom random = new SecureRandom();
        caHash = CaHash.of(writeCa(dir.resolve("ca"), "kubernetes", random));
        writeCa(dir.resolve("stranger"), "kubernetes", random);
        server = new ProcessBuilder(javaIn(master, ServeMain.class, served.toString(), masterAddress, TOKEN,
                dir.resolve("ca").toString(), dir.resolve("stranger").toString()))
                .redirectError(dir.resolve("server.log").toFile()).start();
        String ready = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertTrue(ready != null && ready.startsWith("ready "), "server did not start: " + ready + " "
                + Files.readString(dir.resolve("server.log")));
        String[] ports = ready.split(" ");
        goodPort = Integer.parseInt(ports[1]);
        strangerPort = Integer.parseInt(ports[2]);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
        new ProcessBuilder("ip", "netns", "del", master).start().waitFor();
        new ProcessBuilder("ip", "netns", "del", node).start().waitFor();
    }

    @Test
    void aValidTokenFetchesEveryFileVerified() throws Exception {
        Path target = dir.resolve("node/var/lib/kubestead/bundle");
        var r = fetch(target, goodPort, TOKEN);
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("fetched 13 files"), r.out());
        assertTrue(r.out().contains("progress: fetching the air-gap bundle from https://" + masterAddress + ":" + goodPort), r.out());
        for (String f : List.of("manifest.json", "bin/kubelet", "containerd/bin/containerd", "cni/bridge", "manifests/flannel.yaml")) {
            assertArrayEquals(Files.readAllBytes(served.resolve(f)), Files.readAllBytes(target.resolve(f)), f);
        }
        assertEquals(List.of("bundle"), names(target.getParent()));
    }

    @Test
    void aWrongTokenIsRefusedWithHttp401() throws Exception {
        Path target = dir.resolve("node/var/lib/kubestead/bundle");
        var r = fetch(target, goodPort, "abcdef.ffffffffffffffff");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("error: the master refused the join token for the air-gap bundle (HTTP 401"), r.out());
        assertFalse(Files.exists(target.getParent()) && !names(target.getParent()).isEmpty(), "nothing is left");
    }

    @Test
    void aTamperedFileIsRefusedAndNothingIsLeft() throws Exception {
        Files.writeString(served.resolve("bin/kubeadm"), "#!/bin/sh\necho evil!!\n");
        Path target = dir.resolve("node/var/lib/kubestead/bundle");
        var r = fetch(target, goodPort, TOKEN);
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("error: fetching the air-gap bundle from https://" + masterAddress + ":" + goodPort
                + " failed") || r.out().contains("bin/kubeadm from https://"), r.out());
        assertTrue(r.out().contains("does not match the manifest"), r.out());
        assertEquals(List.of(), names(target.getParent()));
    }

    @Test
    void aServerCertificateFromAnotherCaIsRefused() throws Exception {
        Path target = dir.resolve("node/var/lib/kubestead/bundle");
        var r = fetch(target, strangerPort, TOKEN);
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("error: no master served the air-gap bundle"), r.out());
        assertTrue(r.out().contains("not from the cluster CA that ca-hash " + caHash + " pins"), r.out());
        assertFalse(Files.exists(target));
    }

    record Result(int exit, String out) {
    }

    private Result fetch(Path target, int port, String token) throws Exception {
        Process p = new ProcessBuilder(javaIn(node, FetchMain.class, target.toString(), masterAddress,
                Integer.toString(port), token, caHash)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        return new Result(p.exitValue(), out);
    }

    private static List<String> names(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (var s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> javaIn(String ns, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-Xshare:auto", "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static X509Certificate writeCa(Path d, String cn, SecureRandom random) throws IOException {
        KeyPair keys = KeyAlgorithm.ECDSA_P256.generate(random);
        X509Certificate ca = new CertIssuer(random).selfSignedCa(cn, keys, Instant.now(), Duration.ofDays(1));
        Files.createDirectories(d);
        Files.write(d.resolve("ca.crt"), Pem.certificate(ca));
        Files.write(d.resolve("ca.key"), Pem.privateKey(keys));
        return ca;
    }

    private static void ip(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    }
}
