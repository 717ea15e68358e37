package io.kubestead.agent.kubeadm.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.HostException;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.kubeadm.BootstrapToken;
import io.kubestead.agent.kubeadm.CertificateKey;
import io.kubestead.agent.kubeadm.ClusterSettings;
import io.kubestead.agent.kubeadm.HostKubeadm;
import io.kubestead.agent.kubeadm.InitConfigInput;
import io.kubestead.agent.kubeadm.JoinConfigInput;
import io.kubestead.agent.kubeadm.KubeadmConfigRenderer;
import io.kubestead.agent.kubeadm.NodeSettings;
import io.kubestead.agent.version.KubernetesVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's kubeadm boundary driven against the stand-in: an HA cluster of three hosts sharing one cluster state. */
class KubeadmStandInTest {
    static final KubernetesVersion V = KubernetesVersion.parse("1.33.4");
    static final String ENDPOINT = "10.0.0.10:6443";

    @TempDir
    Path tmp;

    private final SecureRandom random = new SecureRandom();
    private final KubeadmConfigRenderer renderer = new KubeadmConfigRenderer();
    private final StandInCluster cluster = new StandInCluster();
    private final BootstrapToken token = BootstrapToken.generate(random);
    private final CertificateKey key = CertificateKey.generate(random);
    private Node m1;
    private Node m2;
    private Node w1;
    private String caHash;

    record Node(RootedHost host, KubeadmStandIn kubeadm, HostKubeadm client, NodeSettings settings, ActionLog log) {
    }

    @BeforeEach
    void hosts() throws Exception {
        m1 = node("master-1", "10.0.0.11");
        m2 = node("master-2", "10.0.0.12");
        w1 = node("worker-1", "10.0.0.21");
        caHash = opensslCa(m1.host().resolve("/etc/kubernetes/pki"));
        m1.kubeadm().onCall("init", (call, root) -> {
            Files.createDirectories(root.resolve("etc/kubernetes"));
            Files.writeString(root.resolve("etc/kubernetes/admin.conf"), "apiVersion: v1\nkind: Config\n");
        });
    }

    private Node node(String name, String ip) throws IOException {
        Path root = Files.createDirectories(tmp.resolve(name));
        KubeadmStandIn standIn = new KubeadmStandIn(V, root, cluster, null);
        ActionLog log = new ActionLog();
        RootedHost host = new RootedHost(name, root, standIn, log);
        return new Node(host, standIn, new HostKubeadm(host), new NodeSettings(name, ip, null), log);
    }

    private String initFirstMaster(boolean uploadCerts) {
        ClusterSettings c = ClusterSettings.defaults(V, ENDPOINT, "10.244.0.0/16");
        String path = renderer.writeInit(m1.host(), new InitConfigInput(c, m1.settings(), token, null, key));
        m1.client().init(path, uploadCerts);
        return path;
    }

    private String writeJoin(Node n, boolean controlPlane, CertificateKey k, List<String> hashes) {
        JoinConfigInput in = controlPlane
                ? JoinConfigInput.controlPlane(V, n.settings(), ENDPOINT, token, hashes, k, false)
                : JoinConfigInput.worker(V, n.settings(), ENDPOINT, token, hashes);
        return renderer.writeJoin(n.host(), in);
    }

    @Test
    void haClusterInitJoinMasterAndWorkerRecordsExactCommandsAndDocuments() {
        String initPath = initFirstMaster(true);
        m2.client().join(writeJoin(m2, true, key, List.of(caHash)));
        w1.client().join(writeJoin(w1, false, null, List.of(caHash)));

        KubeadmCall init = m1.kubeadm().calls().get(0);
        assertEquals(List.of("kubeadm", "init", "--config", "/etc/kubestead/kubeadm-init.yaml", "--skip-token-print",
                "--skip-certificate-key-print", "--upload-certs"), init.argv());
        assertEquals(initPath, init.configPath());
        assertEquals(0600, init.configMode());
        assertEquals(ENDPOINT, init.field("ClusterConfiguration", "controlPlaneEndpoint"));
        assertEquals(List.of("kubeadm", "join", "--config", "/etc/kubestead/kubeadm-join.yaml"), m2.kubeadm().calls().get(0).argv());
        assertEquals(0600, m2.kubeadm().calls().get(0).configMode());
        assertEquals(key.value(), m2.kubeadm().calls().get(0).field("JoinConfiguration", "controlPlane.certificateKey"));
        assertEquals(null, w1.kubeadm().calls().get(0).field("JoinConfiguration", "controlPlane"));
        assertEquals(List.of("master-1", "master-2", "worker-1"), cluster.nodes());
        assertEquals(caHash, cluster.caCertHash());
        assertTrue(m1.host().exists("/etc/kubernetes/admin.conf"), "scripted effect ran");
    }

    @Test
    void joinWithWrongCaHashIsRejected() {
        initFirstMaster(true);
        String wrong = "sha256:" + "00".repeat(32);
        HostException e = assertThrows(HostException.class, () -> w1.client().join(writeJoin(w1, false, null, List.of(wrong))));
        assertTrue(e.getMessage().contains("none of the public keys \"" + caHash + "\" are pinned"), e.getMessage());
        assertEquals(List.of(), w1.kubeadm().calls());
    }

    @Test
    void controlPlaneJoinNeedsAControlPlaneEndpointAtInit() throws IOException {
        String path = renderer.writeInit(m1.host(), new InitConfigInput(ClusterSettings.defaults(V, ENDPOINT,
                "10.244.0.0/16"), m1.settings(), token, null, key));
        Path file = m1.host().resolve(path);
        Files.writeString(file, Files.readString(file).replace("controlPlaneEndpoint: 10.0.0.10:6443\n", ""));
        m1.client().init(path, true);
        // without controlPlaneEndpoint only the first master's own address serves the API
        JoinConfigInput in = JoinConfigInput.controlPlane(V, m2.settings(), "10.0.0.11:6443", token, List.of(caHash), key, false);
        HostException e = assertThrows(HostException.class, () -> m2.client().join(renderer.writeJoin(m2.host(), in)));
        assertTrue(e.getMessage().contains("doesn't have a stable controlPlaneEndpoint address"), e.getMessage());
    }

    @Test
    void controlPlaneJoinNeedsUploadedCertsUnderTheSameKey() {
        initFirstMaster(false);
        HostException none = assertThrows(HostException.class, () -> m2.client().join(writeJoin(m2, true, key, List.of(caHash))));
        assertTrue(none.getMessage().contains("secrets \"kubeadm-certs\" not found"), none.getMessage());

        m1.client().uploadCerts(KubeadmConfigRenderer.INIT_CONFIG_PATH);
        CertificateKey other = CertificateKey.generate(random);
        HostException wrong = assertThrows(HostException.class, () -> m2.client().join(writeJoin(m2, true, other, List.of(caHash))));
        assertTrue(wrong.getMessage().contains("message authentication failed"), wrong.getMessage());

        m2.client().join(writeJoin(m2, true, key, List.of(caHash)));
        assertEquals(List.of("kubeadm", "init", "phase", "upload-certs", "--upload-certs", "--config",
                KubeadmConfigRenderer.INIT_CONFIG_PATH, "--skip-certificate-key-print"), m1.kubeadm().calls().get(1).argv());
    }

    @Test
    void joinWithUnknownTokenIsRejectedUntilTheTokenIsCreated() {
        initFirstMaster(true);
        BootstrapToken fresh = BootstrapToken.generate(random);
        JoinConfigInput in = JoinConfigInput.worker(V, w1.settings(), ENDPOINT, fresh, List.of(caHash));
        String path = renderer.writeJoin(w1.host(), in);
        HostException e = assertThrows(HostException.class, () -> w1.client().join(path));
        assertTrue(e.getMessage().contains("token id \"" + fresh.id() + "\" is invalid"), e.getMessage());

        m1.client().tokenCreate(fresh, Duration.ofHours(2));
        w1.client().join(path);
        KubeadmCall create = m1.kubeadm().calls().get(1);
        assertEquals(List.of("kubeadm", "token", "create", fresh.value(), "--ttl", "2h0m0s", "--kubeconfig",
                "/etc/kubernetes/admin.conf"), create.argv());
        assertFalse(String.join("\n", m1.log().lines()).contains(fresh.secret()), "token secret in the action log");
    }

    @Test
    void tokenCreateChecksTokenAndTtl() {
        initFirstMaster(true);
        ExecResult bad = m1.host().run(Command.of("kubeadm", "token", "create", "--ttl", "1 day"));
        assertEquals(1, bad.exitCode());
        assertTrue(bad.stderr().contains("invalid duration"), bad.stderr());
        assertTrue(bad.stderr().contains("got none or an invalid one"), bad.stderr());
    }

    @Test
    void tokenCreateNeedsTheAdminKubeconfig() {
        HostException e = assertThrows(HostException.class, () -> m1.client().tokenCreate(token, Duration.ofHours(1)));
        assertTrue(e.getMessage().contains("failed to load admin kubeconfig"), e.getMessage());
    }

    @Test
    void joinBeforeInitIsRefused() {
        HostException e = assertThrows(HostException.class, () -> w1.client().join(writeJoin(w1, false, null, List.of(caHash))));
        assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
    }

    @Test
    void secondInitOnTheSameHostIsRefusedUntilReset() {
        String path = initFirstMaster(true);
        HostException e = assertThrows(HostException.class, () -> m1.client().init(path, true));
        assertTrue(e.getMessage().contains("kubelet.conf already exists"), e.getMessage());
        m1.client().reset();
        assertEquals(List.of(), cluster.nodes());
    }

    @Test
    void unredactedSecretOnTheCommandLineIsRejected() {
        ExecResult r = m1.host().run(Command.of("kubeadm", "token", "create", token.value()));
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("not redacted"), r.stderr());
    }

    @Test
    void forbiddenFlagNextToConfigIsRejected() {
        String path = renderer.writeInit(m1.host(), new InitConfigInput(ClusterSettings.defaults(V, ENDPOINT,
                "10.244.0.0/16"), m1.settings(), token, null, key));
        ExecResult r = m1.host().run(Command.of("kubeadm", "init", "--config", path, "--upload-certs",
                "--certificate-key", key.value()).redacted("kubeadm init --config " + path + " --certificate-key ***"));
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("can not mix '--config' with arguments [certificate-key]"), r.stderr());
        assertEquals(List.of(), m1.kubeadm().calls());
        assertEquals(1, m1.kubeadm().rejections().size());
    }

    @Test
    void aMissingConfigFileIsRefusedAndNotRecorded() {
        HostException e = assertThrows(HostException.class, () -> m1.client().join("/etc/kubestead/missing.yaml"));
        assertTrue(e.getMessage().contains("unable to read config from"), e.getMessage());
        assertEquals(List.of(), m1.kubeadm().calls());
    }

    @Test
    void otherCommandsGoToTheFallbackRunnerAndVersionAnswers() {
        assertEquals("v1.33.4", m1.client().version());
        assertEquals(127, m1.host().run(Command.of("systemctl", "restart", "kubelet")).exitCode());
        m1.client().pullImages(renderer.writeInit(m1.host(), new InitConfigInput(ClusterSettings.defaults(V,
                ENDPOINT, "10.244.0.0/16"), m1.settings(), token, null, key)));
        assertEquals("config images pull", m1.kubeadm().calls().get(1).command());
    }

    /** A real CA made by openssl, and its pin computed by openssl as the kubeadm docs do. */
    static String opensslCa(Path pki) throws Exception {
        Files.createDirectories(pki);
        run(pki, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-subj", "/CN=kubernetes", "-days", "2");
        String hex = run(pki, "bash", "-c", "set -o pipefail; openssl x509 -pubkey -in ca.crt -noout"
                + " | openssl pkey -pubin -outform der | sha256sum | cut -d' ' -f1").strip();
        assertTrue(hex.matches("[0-9a-f]{64}"), hex);
        return "sha256:" + hex;
    }

    private static String run(Path dir, String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
        return out;
    }
}
