package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubestead.agent.upstream.UpstreamBinaries;
import io.kubestead.agent.upstream.UpstreamBinaries.Release;
import io.kubestead.agent.upstream.UpstreamBinaries.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real kubeadm of every release in tests/upstream/versions judges the trees kubestead's dry-run writes: the
 * configuration validates with no warning, kubeadm's own certs and kubeconfig phases find nothing to change (so it
 * accepted every certificate, chain and SAN, and every kubeconfig), its etcd and control-plane phases write their
 * manifests from our configuration, and its expiry report agrees with ours. kubeadm runs in a private mount
 * namespace with the tree at /etc/kubernetes (tests/upstream/in-tree.sh); the agent runs in a network namespace
 * whose one interface holds the addresses the words name, so the vip= tree does not depend on this machine's network.
 */
class RealKubeadmTest {
    private static final String ADDRESS = "10.0.0.11";
    private static final String JOINER_ADDRESS = "10.0.0.12";
    private static final String VIP = "10.0.0.100";
    /** kubeadm's warnings: klog's W lines and its "[WARNING ...]" preflight lines. */
    private static final Pattern WARNING = Pattern.compile("(?m)^(W\\d{4} .*|.*\\[WARNING.*)$");
    /**
     * With the internal balancer the API endpoint is every node's local HAProxy port (6444), not the API server's
     * bind port, and kubeadm says so each time it derives the endpoint. That is the design, not a mismatch: the
     * kubeconfigs it would write (byte-identical to ours, checked below) use the balancer's port.
     */
    private static final String INTERNAL_BALANCER_NOTE =
            "[endpoint] WARNING: port specified in controlPlaneEndpoint overrides bindPort in the controlplane address";

    @TempDir
    Path tmp;

    enum Tree {
        SINGLE_MASTER(),
        HA_EXTERNAL_BALANCER("ha", "load-balancer-address=10.0.0.10:6443"),
        HA_INTERNAL_BALANCER("ha"),
        HA_VIP("ha", "vip=" + VIP),
        ECDSA_P256("key-algorithm=ecdsa-p256"),
        OWN_CA();

        final List<String> words;

        Tree(String... words) {
            this.words = List.of(words);
        }
    }

    static Stream<Arguments> trees() {
        return UpstreamBinaries.releases().stream()
                .flatMap(r -> Stream.of(Tree.values()).map(t -> Arguments.of(r, t)));
    }

    static Stream<Release> releases() {
        return UpstreamBinaries.releases().stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("trees")
    void kubeadmAcceptsTheTreeByteForByte(Release release, Tree kind) throws Exception {
        Path kubeadm = UpstreamBinaries.binary(release, "kubeadm");
        UpstreamBinaries.requireRoot();
        List<String> words = new ArrayList<>(List.of("install", "kubernetes-version=" + release.bare(), "node-name=node-1",
                "private-address=" + ADDRESS, "yes"));
        words.addAll(kind.words);
        if (kind == Tree.OWN_CA) {
            words.addAll(ownCa());
        }
        Path tree = tmp.resolve("tree");
        dryRun(tree, words);
        Path config = tree.resolve("etc/kubestead/kubeadm-init.yaml");
        Set<String> allowed = kind == Tree.HA_INTERNAL_BALANCER ? Set.of(INTERNAL_BALANCER_NOTE) : Set.of();

        noWarnings(UpstreamBinaries.run(kubeadm.toString(), "config", "validate", "--config", config.toString()).ok(),
                Set.of());

        Map<String, String> before = hashes(tree.resolve("etc/kubernetes"));
        assertTrue(before.keySet().containsAll(List.of("pki/ca.crt", "pki/apiserver.crt", "pki/etcd/server.crt",
                "pki/sa.key", "admin.conf", "super-admin.conf", "kubelet.conf")), before.keySet().toString());
        Run certs = noWarnings(inTree(tree, kubeadm, "init", "phase", "certs", "all", "--config", config.toString()),
                allowed);
        assertEquals(before, hashes(tree.resolve("etc/kubernetes")),
                "kubeadm init phase certs all changed our PKI:\n" + certs.output());
        assertFalse(certs.output().contains("Generating"), certs.output());
        Run kubeconfigs = noWarnings(inTree(tree, kubeadm, "init", "phase", "kubeconfig", "all", "--config",
                config.toString()), allowed);
        assertEquals(before, hashes(tree.resolve("etc/kubernetes")),
                "kubeadm init phase kubeconfig all changed our kubeconfigs:\n" + kubeconfigs.output());

        noWarnings(inTree(tree, kubeadm, "init", "phase", "etcd", "local", "--config", config.toString()), allowed);
        noWarnings(inTree(tree, kubeadm, "init", "phase", "control-plane", "all", "--config", config.toString()),
                allowed);
        Map<String, String> after = hashes(tree.resolve("etc/kubernetes"));
        for (String manifest : List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler")) {
            assertTrue(after.containsKey("manifests/" + manifest + ".yaml"), manifest + " manifest: " + after.keySet());
        }
        Map<String, String> unchanged = new TreeMap<>(after);
        unchanged.keySet().removeIf(k -> k.startsWith("manifests/") && !before.containsKey(k));
        assertEquals(before, unchanged, "the etcd and control-plane phases touched nothing but their manifests");
        String apiserver = Files.readString(tree.resolve("etc/kubernetes/manifests/kube-apiserver.yaml"));
        assertTrue(apiserver.contains("--advertise-address=" + ADDRESS), apiserver);
        assertTrue(apiserver.contains("--tls-cert-file=/etc/kubernetes/pki/apiserver.crt"), apiserver);
        String etcd = Files.readString(tree.resolve("etc/kubernetes/manifests/etcd.yaml"));
        assertTrue(etcd.contains("--name=node-1") && etcd.contains("--initial-cluster=node-1=https://" + ADDRESS + ":2380"),
                etcd);

        JsonNode theirs = new ObjectMapper().readTree(noWarnings(inTree(tree, kubeadm, "certs", "check-expiration",
                "-o", "json", "--config", config.toString()), allowed).output());
        JsonNode ours = new ObjectMapper().readTree(kubestead("certs", "check-expiration", "-o", "json", "--root",
                tree.toString()).output());
        for (String list : List.of("certificates", "certificateAuthorities")) {
            assertEquals(expiries(theirs.path(list)), expiries(ours.path(list)),
                    list + ": kubeadm certs check-expiration and kubestead's disagree");
            assertFalse(expiries(theirs.path(list)).isEmpty(), list);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void kubeadmValidatesAJoiningMastersConfiguration(Release release) throws Exception {
        Path kubeadm = UpstreamBinaries.binary(release, "kubeadm");
        UpstreamBinaries.requireRoot();
        Path first = tmp.resolve("first");
        dryRun(first, List.of("install", "ha", "kubernetes-version=" + release.bare(), "node-name=node-1",
                "private-address=" + ADDRESS, "yes"));
        String script = Files.readString(first.resolve("var/lib/kubestead/join-master.sh"));
        String command = script.lines().filter(l -> l.contains("bash -s join ")).findFirst()
                .orElseThrow(() -> new AssertionError("no join command in join-master.sh:\n" + script));
        List<String> words = new ArrayList<>(List.of(command.substring(command.indexOf("bash -s ") + 8).split(" ")));
        words.addAll(List.of("node-name=node-2", "private-address=" + JOINER_ADDRESS));
        Path joiner = tmp.resolve("joiner");
        dryRun(joiner, words);
        Path config = joiner.resolve("etc/kubestead/kubeadm-join.yaml");
        assertTrue(Files.readString(config).contains("kind: JoinConfiguration"));
        noWarnings(UpstreamBinaries.run(kubeadm.toString(), "config", "validate", "--config", config.toString()).ok(),
                Set.of());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void theBinariesPrintTheirReleaseAndKubeadmNamesTheEtcdWeBuilt(Release release) {
        String v = release.version();
        assertEquals(v, UpstreamBinaries.run(UpstreamBinaries.binary(release, "kubeadm").toString(), "version", "-o",
                "short").ok().output().strip());
        for (String component : List.of("kubelet", "kube-apiserver", "kube-controller-manager", "kube-scheduler",
                "kube-proxy")) {
            assertEquals("Kubernetes " + v, UpstreamBinaries.run(UpstreamBinaries.binary(release, component).toString(),
                    "--version").ok().output().strip(), component);
        }
        assertTrue(UpstreamBinaries.run(UpstreamBinaries.binary(release, "kubectl").toString(), "version", "--client")
                .ok().output().contains("Client Version: " + v));
        String etcd = release.etcdVersion().substring(1);
        assertTrue(UpstreamBinaries.run(UpstreamBinaries.binary(release, "etcd").toString(), "--version").ok().output()
                .contains("etcd Version: " + etcd));
        assertTrue(UpstreamBinaries.run(UpstreamBinaries.binary(release, "etcdctl").toString(), "version").ok().output()
                .contains("etcdctl version: " + etcd));
        String images = UpstreamBinaries.run(UpstreamBinaries.binary(release, "kubeadm").toString(), "config", "images",
                "list", "--kubernetes-version", v).ok().output();
        assertTrue(images.contains("/etcd:" + etcd + "-"), "kubeadm " + v + " wants another etcd than "
                + UpstreamBinaries.VERSIONS + " names:\n" + images);
    }

    /** A CA made by openssl, as a customer's PKI team would hand it over, for ca-cert= and ca-key=. */
    private List<String> ownCa() throws IOException {
        Path key = tmp.resolve("corp-ca.key");
        Path cert = tmp.resolve("corp-ca.crt");
        UpstreamBinaries.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                "-out", cert.toString(), "-days", "3650", "-subj", "/O=Example Corp/CN=Example Corp Kubernetes CA",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature").ok();
        return List.of("ca-cert=" + cert, "ca-key=" + key);
    }

    /**
     * Runs {@code kubestead WORDS dry-run=DIR} in a fresh network namespace whose one interface holds the addresses
     * the words use, so the vip= check (an interface must reach the VIP) sees a known network.
     */
    private static void dryRun(Path dir, List<String> words) {
        List<String> cmd = new ArrayList<>(List.of("unshare", "--net", "--", "/bin/sh", "-eu", "-c",
                "ip link set lo up; ip link add ks0 type veth peer name ks1; ip addr add " + ADDRESS + "/24 dev ks0;"
                        + " ip addr add " + JOINER_ADDRESS + "/24 dev ks0; ip link set ks1 up; ip link set ks0 up;"
                        + " exec \"$@\"", "dry-run"));
        cmd.addAll(agent());
        cmd.addAll(words);
        cmd.add("dry-run=" + dir);
        UpstreamBinaries.run(cmd, Map.of()).ok();
    }

    private static Run kubestead(String... args) {
        List<String> cmd = new ArrayList<>(agent());
        cmd.addAll(List.of(args));
        return UpstreamBinaries.run(cmd, Map.of()).ok();
    }

    /** The agent as its own JVM on this test's class path (Main as the launcher runs it). */
    private static List<String> agent() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), Main.class.getName());
    }

    private static Run inTree(Path tree, Path kubeadm, String... args) {
        List<String> cmd = new ArrayList<>(List.of(UpstreamBinaries.IN_TREE.toString(), tree.toString(),
                kubeadm.toString()));
        cmd.addAll(List.of(args));
        return UpstreamBinaries.run(cmd, Map.of()).ok();
    }

    private static Run noWarnings(Run run, Set<String> allowed) {
        List<String> warnings = WARNING.matcher(run.output()).results().map(m -> m.group(1))
                .filter(line -> allowed.stream().noneMatch(line::contains)).toList();
        assertEquals(List.of(), warnings, String.join(" ", run.command()) + " warned:\n" + run.output());
        return run;
    }

    /** Every file under DIR by relative path, with its SHA-256. */
    private static Map<String, String> hashes(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                out.put(dir.relativize(p).toString(), HexFormat.of().formatHex(digest));
            }
        }
        return out;
    }

    /** name, expiry, CA, externally managed and missing of each entry; the residual time moves with the clock. */
    private static Set<String> expiries(JsonNode list) {
        Set<String> out = new TreeSet<>();
        list.forEach(c -> out.add(c.path("name").asText() + " expires " + c.path("expirationDate").asText() + " ca "
                + c.path("caName").asText() + " external " + c.path("externallyManaged").asBoolean() + " missing "
                + c.path("missing").asBoolean()));
        return out;
    }
}
