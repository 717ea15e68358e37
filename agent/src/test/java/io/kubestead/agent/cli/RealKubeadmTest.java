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
        OWN_CA(),
        /** A cgroup v1 host kept knowingly: from 1.35 the kubelet is told failCgroupV1: false. */
        KEEP_CGROUP_V1("preflight-ignore=cgroups");

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
        if (kind == Tree.KEEP_CGROUP_V1) {
            assertEquals(release.minor() >= 35, Files.readString(config).contains("failCgroupV1: false"));
        }
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

        sameAsKubeadmsOwn(tree, kubeadm, config, kind, allowed);

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
        // the script's command line ends in "$@" (words given to the script), which bash expands away
        String command = script.lines().filter(l -> l.contains("bash -s join ")).findFirst()
                .orElseThrow(() -> new AssertionError("no join command in join-master.sh:\n" + script))
                .replace(" \"$@\"", "");
        // as printed, and on a cgroup v1 host kept knowingly (from 1.35: a kubelet patch and a skipped check)
        for (List<String> extra : List.of(List.<String>of(), List.of("preflight-ignore=cgroups"))) {
            List<String> words = new ArrayList<>(List.of(command.substring(command.indexOf("bash -s ") + 8).split(" ")));
            words.addAll(List.of("node-name=node-2", "private-address=" + JOINER_ADDRESS));
            words.addAll(extra);
            Path joiner = tmp.resolve("joiner" + extra.size());
            dryRun(joiner, words);
            Path config = joiner.resolve("etc/kubestead/kubeadm-join.yaml");
            String yaml = Files.readString(config);
            assertTrue(yaml.contains("kind: JoinConfiguration"), yaml);
            assertEquals(!extra.isEmpty() && release.minor() >= 35, yaml.contains("patches:"), yaml);
            noWarnings(UpstreamBinaries.run(kubeadm.toString(), "config", "validate", "--config", config.toString())
                    .ok(), Set.of());
        }
    }

    /**
     * kubeadm's own preflight, with the kubelet of the release in PATH, and {@code kubestead preflight} agree on this
     * host's cgroups: kubeadm's SystemVerification errors on cgroup v1 for a 1.35+ kubelet and warns before, as our
     * cgroups check fails and warns; with {@code preflight-ignore=cgroups} kubeadm is told to skip it, so no error.
     * Other preflight findings (no container runtime here, ip_forward ...) are not this test's subject.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void kubeadmsPreflightAndOursAgreeOnThisHostsCgroups(Release release) throws Exception {
        Path kubeadm = UpstreamBinaries.binary(release, "kubeadm");
        Path kubelet = UpstreamBinaries.binary(release, "kubelet");
        UpstreamBinaries.requireRoot();
        Map<String, String> path = Map.of("PATH", kubelet.getParent() + ":" + System.getenv("PATH"));
        List<String> common = List.of("kubernetes-version=" + release.bare(), "node-name=node-1",
                "private-address=" + ADDRESS, "yes");
        JsonNode rows = new ObjectMapper().readTree(UpstreamBinaries.run(agentCommand("preflight", "-o", "json",
                common.get(0)), Map.of()).output());
        String ours = "";
        for (JsonNode row : rows) {
            ours = row.path("check").asText().equals("cgroups") ? row.path("status").asText() : ours;
        }
        for (boolean keep : List.of(false, true)) {
            List<String> words = new ArrayList<>(List.of("install"));
            words.addAll(common);
            if (keep) {
                words.add("preflight-ignore=cgroups");
            }
            Path tree = tmp.resolve("preflight-" + keep);
            dryRun(tree, words);
            List<String> cmd = new ArrayList<>(List.of(UpstreamBinaries.IN_TREE.toString(), tree.toString(),
                    kubeadm.toString(), "init", "phase", "preflight", "--config",
                    tree.resolve("etc/kubestead/kubeadm-init.yaml").toString()));
            String out = UpstreamBinaries.run(cmd, path).output();
            assertTrue(out.contains("[preflight] Running pre-flight checks"), out);
            String kubeadms = out.lines().anyMatch(l -> l.contains("[ERROR SystemVerification]") && l.contains("cgroups v1"))
                    ? "FAIL" : out.lines().anyMatch(l -> l.contains("[WARNING SystemVerification]") && l.contains("cgroups v1"))
                    ? "WARN" : "PASS";
            if (!keep) {
                assertEquals(kubeadms, ours, "kubeadm " + release + "'s preflight on this host:\n" + out);
            } else {
                assertFalse(kubeadms.equals("FAIL"), "kept cgroup v1, yet kubeadm's preflight fails on it:\n" + out);
            }
        }
    }

    /** containerd's sandbox image is the pause image kubeadm of that release pulls (else its preflight warns). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void containerdIsToldThePauseImageKubeadmPulls(Release release) {
        String images = UpstreamBinaries.run(UpstreamBinaries.binary(release, "kubeadm").toString(), "config", "images",
                "list", "--kubernetes-version", release.version()).ok().output();
        String pause = io.kubestead.agent.hostsetup.ContainerdConfig.pauseImage("registry.k8s.io",
                io.kubestead.agent.version.KubernetesVersion.parse(release.bare()));
        assertTrue(images.lines().anyMatch(pause::equals), pause + " is not in kubeadm's image list:\n" + images);
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

    /**
     * kubeadm's certs and kubeconfig phases check only that our files load and chain to the CA (and warn on expiry),
     * not their names or usages; so kubeadm also writes its own PKI and kubeconfigs for the same configuration into
     * an empty tree, and each of ours must match its counterpart in subject, SANs (in order), key usage, extended
     * key usage, basic constraints, key type and size, signature algorithm, validity, PEM type and file mode, and
     * each kubeconfig in everything but the key material. With a CA of your own kubeadm signs with that CA.
     */
    private void sameAsKubeadmsOwn(Path tree, Path kubeadm, Path config, Tree kind, Set<String> allowed)
            throws Exception {
        Path reference = tmp.resolve("kubeadm-own");
        Path refPki = reference.resolve("etc/kubernetes/pki");
        Files.createDirectories(refPki);
        if (kind == Tree.OWN_CA) {
            for (String f : List.of("ca.crt", "ca.key")) {
                Files.copy(tree.resolve("etc/kubernetes/pki").resolve(f), refPki.resolve(f));
            }
        }
        noWarnings(inTree(reference, kubeadm, "init", "phase", "certs", "all", "--config", config.toString()), allowed);
        noWarnings(inTree(reference, kubeadm, "init", "phase", "kubeconfig", "all", "--config", config.toString()),
                allowed);
        Path ours = tree.resolve("etc/kubernetes");
        Path theirs = reference.resolve("etc/kubernetes");
        Set<String> ourFiles = new TreeSet<>(hashes(ours).keySet());
        ourFiles.removeIf(f -> f.startsWith("manifests/"));
        assertEquals(new TreeSet<>(hashes(theirs).keySet()), ourFiles, "the files kubeadm writes and ours");
        List<String> differences = new ArrayList<>();
        for (String f : ourFiles) {
            String mine = describe(ours.resolve(f));
            String kubeadms = describe(theirs.resolve(f));
            if (!mine.equals(kubeadms)) {
                differences.add(f + "\n  kubeadm: " + kubeadms.replace("\n", "\n           ") + "\n  ours:    "
                        + mine.replace("\n", "\n           "));
            }
        }
        assertEquals(List.of(), differences, "our files differ from the ones kubeadm writes");
    }

    /** What must agree with kubeadm's own file: the mode, and for certificates and kubeconfigs their profile. */
    private static String describe(Path file) throws Exception {
        String mode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        String name = file.getFileName().toString();
        String text = Files.readString(file);
        if (name.endsWith(".crt")) {
            return mode + " " + profile(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        if (name.endsWith(".key") || name.endsWith(".pub")) {
            return mode + " " + text.lines().findFirst().orElse("");
        }
        // a kubeconfig: its text with the key material left out, and the profile of its client certificate
        StringBuilder out = new StringBuilder(mode);
        for (String line : text.lines().toList()) {
            java.util.regex.Matcher m = Pattern.compile("^(\\s*)(certificate-authority-data|client-certificate-data|"
                    + "client-key-data): (.*)$").matcher(line);
            if (!m.matches()) {
                out.append("\n").append(line);
            } else if (m.group(2).equals("client-certificate-data")) {
                out.append("\n").append(m.group(1)).append("client certificate: ")
                        .append(profile(java.util.Base64.getDecoder().decode(m.group(3))));
            } else {
                out.append("\n").append(m.group(1)).append(m.group(2)).append(": ...");
            }
        }
        return out.toString();
    }

    private static String profile(byte[] pem) throws Exception {
        java.security.cert.X509Certificate c = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory
                .getInstance("X.509").generateCertificate(new java.io.ByteArrayInputStream(pem));
        java.security.PublicKey key = c.getPublicKey();
        String keyDesc = key instanceof java.security.interfaces.RSAPublicKey rsa ? "RSA-" + rsa.getModulus().bitLength()
                : key instanceof java.security.interfaces.ECPublicKey ec
                        ? "EC-" + ec.getParams().getCurve().getField().getFieldSize() : key.getAlgorithm();
        // The configured period, to the hour: kubeadm back-dates NotBefore by 5 minutes, except for the kubeconfigs'
        // client certificates, whose NotBefore it takes from the CA (a CA of your own made a moment ago: not
        // back-dated), and its NotAfter counts from its start, seconds before it signs.
        java.time.Duration validity = java.time.Duration.between(c.getNotBefore().toInstant(),
                c.getNotAfter().toInstant()).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        return "subject=" + c.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253)
                + " sans=" + (c.getSubjectAlternativeNames() == null ? "[]" : c.getSubjectAlternativeNames())
                + " keyUsage=" + (c.getKeyUsage() == null ? "none" : java.util.Arrays.toString(c.getKeyUsage()))
                + " extKeyUsage=" + c.getExtendedKeyUsage() + " ca=" + c.getBasicConstraints()
                + " key=" + keyDesc + " sig=" + c.getSigAlgName() + " validity=" + validity;
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
        return UpstreamBinaries.run(agentCommand(args), Map.of()).ok();
    }

    private static List<String> agentCommand(String... args) {
        List<String> cmd = new ArrayList<>(agent());
        cmd.addAll(List.of(args));
        return cmd;
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
