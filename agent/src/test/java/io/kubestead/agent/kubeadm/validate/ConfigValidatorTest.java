package io.kubestead.agent.kubeadm.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.kubeadm.BootstrapToken;
import io.kubestead.agent.kubeadm.CertificateKey;
import io.kubestead.agent.kubeadm.ClusterSettings;
import io.kubestead.agent.kubeadm.InitConfigInput;
import io.kubestead.agent.kubeadm.JoinConfigInput;
import io.kubestead.agent.kubeadm.KubeadmConfigRenderer;
import io.kubestead.agent.kubeadm.NodeSettings;
import io.kubestead.agent.kubeadm.ProxyMode;
import io.kubestead.agent.kubeadm.YamlDocuments;
import io.kubestead.agent.kubeadm.validate.ConfigValidator.Purpose;
import io.kubestead.agent.version.KubernetesVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigValidatorTest {
    static final BootstrapToken TOKEN = BootstrapToken.parse("abcdef.0123456789abcdef");
    static final CertificateKey KEY = CertificateKey.parse("ab".repeat(32));
    static final String HASH = "sha256:" + "0f".repeat(32);
    static final NodeSettings NODE = new NodeSettings("master-1", "10.0.0.11", "203.0.113.11");

    private final KubeadmConfigRenderer renderer = new KubeadmConfigRenderer();
    private final YamlDocuments yaml = new YamlDocuments();

    static ClusterSettings cluster(String version, boolean taint) {
        return new ClusterSettings(KubernetesVersion.parse(version), null, "kube-api.internal:6444",
                List.of("k8s.example.com"), "10.244.0.0/16", null, null, null, null, taint, null, null, null,
                ProxyMode.IPTABLES);
    }

    String init(String version) {
        return renderer.renderInit(new InitConfigInput(cluster(version, true), NODE, TOKEN, Duration.ofHours(24), KEY));
    }

    String joinMaster(String version) {
        return renderer.renderJoin(JoinConfigInput.controlPlane(KubernetesVersion.parse(version), NODE,
                "kube-api.internal:6444", TOKEN, List.of(HASH), KEY, false));
    }

    static ConfigCheck check(String kubeadm, String text, Purpose purpose) {
        return new ConfigValidator(KubernetesVersion.parse(kubeadm)).validate(text, purpose);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.28.15", "1.29.0", "1.30.5", "1.31.1", "1.32.3", "1.33.4", "1.34.0", "1.35.2",
            "1.36.0", "1.37.1"})
    void renderedConfigsPassForEverySupportedVersionAndRole(String version) {
        ConfigCheck init = check(version, init(version), Purpose.INIT);
        assertEquals(List.of(), init.errors());
        assertEquals(4, init.documents().size());
        for (boolean taint : new boolean[] {true, false}) {
            String master = renderer.renderJoin(JoinConfigInput.controlPlane(KubernetesVersion.parse(version), NODE,
                    "kube-api.internal:6444", TOKEN, List.of(HASH), KEY, taint));
            assertEquals(List.of(), check(version, master, Purpose.JOIN).errors(), master);
        }
        String worker = renderer.renderJoin(JoinConfigInput.worker(KubernetesVersion.parse(version),
                new NodeSettings("worker-1", "10.0.0.21", null), "kube-api.internal:6444", TOKEN, List.of(HASH)));
        assertEquals(List.of(), check(version, worker, Purpose.JOIN).errors(), worker);
    }

    @Test
    void ecdsaP384PassesFrom134() {
        ClusterSettings c = new ClusterSettings(KubernetesVersion.parse("1.34.0"), null, "10.0.0.10:6443", List.of(),
                "10.244.0.0/16", null, null, null, null, false, "ECDSA-P384", Duration.ofDays(90), null, null);
        String text = renderer.renderInit(new InitConfigInput(c, NODE, TOKEN, null, KEY));
        assertEquals(List.of(), check("1.34.0", text, Purpose.INIT).errors());
    }

    @Test
    void rejectsUnknownField() {
        String text = mutate(init("1.33.0"), "ClusterConfiguration", d -> map(d, "apiServer").put("certSans", List.of("x")));
        assertRejected(check("1.33.0", text, Purpose.INIT), "unknown field \"apiServer.certSans\"");
    }

    @Test
    void rejectsFieldPlacedInTheWrongKind() {
        String text = mutate(init("1.33.0"), "InitConfiguration", d -> d.put("controlPlaneEndpoint", "10.0.0.10:6443"));
        assertRejected(check("1.33.0", text, Purpose.INIT), "InitConfiguration: unknown field \"controlPlaneEndpoint\"");
    }

    @Test
    void rejectsV1beta4ForKubeadm130() {
        assertRejected(check("1.30.0", init("1.33.0"), Purpose.INIT), "kubeadm.k8s.io/v1beta4 is not accepted by kubeadm v1.30.0");
    }

    @Test
    void rejectsV1beta3ForKubeadm137() {
        assertRejected(check("1.37.0", init("1.30.0"), Purpose.INIT), "kubeadm.k8s.io/v1beta3 is not accepted by kubeadm v1.37.0");
    }

    @Test
    void rejectsMapFormExtraArgsInV1beta4() {
        String text = mutate(init("1.33.0"), "ClusterConfiguration",
                d -> map(d, "apiServer").put("extraArgs", new LinkedHashMap<>(Map.of("profiling", "false"))));
        assertRejected(check("1.33.0", text, Purpose.INIT), "apiServer.extraArgs: expected a list, got a map");
    }

    @Test
    void rejectsListFormExtraArgsInV1beta3() {
        String text = mutate(init("1.30.0"), "InitConfiguration", d -> map(d, "nodeRegistration")
                .put("kubeletExtraArgs", List.of(Map.of("name", "node-ip", "value", "10.0.0.11"))));
        assertRejected(check("1.30.0", text, Purpose.INIT), "nodeRegistration.kubeletExtraArgs: expected a map, got a list");
    }

    @Test
    void rejectsUnquotedBooleanExtraArgValue() {
        String text = init("1.30.0").replace("profiling: \"false\"", "profiling: false");
        assertRejected(check("1.30.0", text, Purpose.INIT), "apiServer.extraArgs.profiling: expected string, got bool");
    }

    @Test
    void rejectsBadBootstrapTokenInInit() {
        String text = init("1.33.0").replace("abcdef.0123456789abcdef", "ABCDEF.0123456789abcdef");
        ConfigCheck c = check("1.33.0", text, Purpose.INIT);
        assertRejected(c, "bootstrapTokens[0].token: the bootstrap token is invalid");
        assertFalse(c.errors().toString().contains("0123456789abcdef"), "secret echoed: " + c.errors());
    }

    @Test
    void rejectsBadDiscoveryToken() {
        String text = joinMaster("1.33.0").replace("abcdef.0123456789abcdef", "abcdef.0123");
        assertRejected(check("1.33.0", text, Purpose.JOIN), "discovery.bootstrapToken.token: the bootstrap token is invalid");
    }

    @Test
    void rejectsBadCaCertHash() {
        String text = joinMaster("1.33.0").replace(HASH, "0f".repeat(32));
        assertRejected(check("1.33.0", text, Purpose.JOIN), "caCertHashes: " + "0f".repeat(32) + " is not sha256:");
        String shortHash = joinMaster("1.33.0").replace(HASH, "sha256:abcd");
        assertRejected(check("1.33.0", shortHash, Purpose.JOIN), "caCertHashes: sha256:abcd is not sha256:");
    }

    @Test
    void rejectsTokenDiscoveryWithoutCaPins() {
        String text = mutate(joinMaster("1.33.0"), "JoinConfiguration",
                d -> map(map(d, "discovery"), "bootstrapToken").remove("caCertHashes"));
        assertRejected(check("1.33.0", text, Purpose.JOIN), "without caCertHashes can be unsafe");
    }

    @Test
    void rejectsBadCertificateKey() {
        String text = joinMaster("1.33.0").replace("ab".repeat(32), "ab".repeat(31));
        assertRejected(check("1.33.0", text, Purpose.JOIN), "controlPlane.certificateKey: the certificate key is invalid");
    }

    @Test
    void rejectsTaintWithUnknownEffectOrWithoutKey() {
        String effect = init("1.33.0").replace("effect: NoSchedule", "effect: NoScheduling");
        assertRejected(check("1.33.0", effect, Purpose.INIT), "nodeRegistration.taints[0].effect: NoScheduling");
        String noKey = init("1.33.0").replace("  - key: node-role.kubernetes.io/control-plane\n    effect", "  - effect");
        assertRejected(check("1.33.0", noKey, Purpose.INIT), "missing required field \"nodeRegistration.taints[0].key\"");
    }

    @Test
    void rejectsV1beta4OnlyFieldInV1beta3() {
        String text = mutate(init("1.30.0"), "ClusterConfiguration", d -> d.put("encryptionAlgorithm", "RSA-2048"));
        assertRejected(check("1.30.0", text, Purpose.INIT), "unknown field \"encryptionAlgorithm\"");
    }

    @Test
    void rejectsV1beta3OnlyFieldInV1beta4() {
        String text = mutate(init("1.33.0"), "ClusterConfiguration",
                d -> map(d, "apiServer").put("timeoutForControlPlane", "4m0s"));
        assertRejected(check("1.33.0", text, Purpose.INIT), "unknown field \"apiServer.timeoutForControlPlane\"");
        String join = mutate(joinMaster("1.33.0"), "JoinConfiguration", d -> map(d, "discovery").put("timeout", "5m0s"));
        assertRejected(check("1.33.0", join, Purpose.JOIN), "unknown field \"discovery.timeout\"");
    }

    @Test
    void rejectsEcdsaP384Before134() {
        String text = mutate(init("1.33.0"), "ClusterConfiguration", d -> d.put("encryptionAlgorithm", "ECDSA-P384"));
        assertRejected(check("1.33.0", text, Purpose.INIT), "encryptionAlgorithm: ECDSA-P384 is not one of");
    }

    @Test
    void rejectsControlPlaneVersionKubeadmCannotDeploy() {
        String text = init("1.33.4");
        assertRejected(check("1.35.0", text, Purpose.INIT), "kubernetesVersion: kubeadm v1.35.0 deploys control plane 1.34 or 1.35");
    }

    @Test
    void rejectsMalformedDurationAndAddress() {
        String ttl = init("1.33.0").replace("ttl: 24h0m0s", "ttl: 1 day");
        assertRejected(check("1.33.0", ttl, Purpose.INIT), "bootstrapTokens[0].ttl: expected duration");
        String address = init("1.33.0").replace("advertiseAddress: 10.0.0.11", "advertiseAddress: master-1");
        assertRejected(check("1.33.0", address, Purpose.INIT), "localAPIEndpoint.advertiseAddress: master-1 is not a valid IP");
    }

    @Test
    void rejectsWrongKindsForTheCommand() {
        assertRejected(check("1.33.0", joinMaster("1.33.0"), Purpose.INIT), "JoinConfiguration does not belong in a file for kubeadm init");
        assertRejected(check("1.33.0", init("1.33.0"), Purpose.JOIN), "InitConfiguration does not belong in a file for kubeadm join");
        assertRejected(check("1.33.0", "# empty\n", Purpose.JOIN), "no JoinConfiguration document");
        String twice = joinMaster("1.33.0") + joinMaster("1.33.0");
        assertRejected(check("1.33.0", twice, Purpose.JOIN), "a second JoinConfiguration document");
        String unknown = joinMaster("1.33.0").replace("kind: JoinConfiguration", "kind: JoinConfig");
        assertRejected(check("1.33.0", unknown, Purpose.JOIN), "no kind \"JoinConfig\" is registered");
    }

    @Test
    void rejectsUnknownKubeletAndKubeProxyFields() {
        String kubelet = init("1.33.0").replace("cgroupDriver: systemd", "cgroupDriver: systemd\ncgroupDrivers: systemd");
        assertRejected(check("1.33.0", kubelet, Purpose.INIT), "KubeletConfiguration: unknown field \"cgroupDrivers\"");
        String proxy = init("1.33.0").replace("mode: iptables", "mode: userspace");
        assertRejected(check("1.33.0", proxy, Purpose.INIT), "mode: userspace is not one of");
    }

    static void assertRejected(ConfigCheck check, String expected) {
        assertFalse(check.ok(), "validator accepted what kubeadm rejects or ignores: " + expected);
        assertTrue(check.errors().stream().anyMatch(e -> e.contains(expected)),
                "expected an error containing '" + expected + "' but got " + check.errors());
    }

    private String mutate(String text, String kind, Consumer<Map<String, Object>> change) {
        List<Map<String, Object>> docs = new ArrayList<>(yaml.read(text));
        change.accept(docs.stream().filter(d -> kind.equals(d.get("kind"))).findFirst().orElseThrow());
        return yaml.write(docs);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }
}
