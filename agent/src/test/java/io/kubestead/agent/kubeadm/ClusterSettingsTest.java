package io.kubestead.agent.kubeadm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.version.KubernetesVersion;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
    static final KubernetesVersion V130 = KubernetesVersion.parse("1.30.0");
    static final KubernetesVersion V133 = KubernetesVersion.parse("1.33.0");

    private static ClusterSettings settings(KubernetesVersion v, String endpoint, String algorithm, Duration validity) {
        return new ClusterSettings(v, null, endpoint, List.of(), "10.244.0.0/16", null, null, null, null, false,
                algorithm, validity, null, null);
    }

    private static void assertFails(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void defaultsAreKubeadmsOwn() {
        ClusterSettings c = ClusterSettings.defaults(V133, "10.0.0.10:6443", "10.244.0.0/16");
        assertEquals("kubernetes", c.clusterName());
        assertEquals("10.96.0.0/12", c.serviceSubnet());
        assertEquals("cluster.local", c.dnsDomain());
        assertEquals("registry.k8s.io", c.imageRepository());
        assertEquals("/etc/kubernetes/pki", c.certificatesDir());
        assertEquals("RSA-2048", c.encryptionAlgorithm());
        assertEquals(Duration.ofDays(365), c.certificateValidity());
        assertEquals(Duration.ofDays(3650), c.caCertificateValidity());
        assertEquals(ProxyMode.IPTABLES, c.proxyMode());
        assertEquals(KubeadmApi.V1BETA4, c.api());
        assertEquals(KubeadmApi.V1BETA3, ClusterSettings.defaults(V130, "lb:6443", "10.244.0.0/16").api());
    }

    @Test
    void v1beta4OnlySettingsAreRefusedBefore131UnlessTheyAreTheBuiltInValues() {
        assertFails("need Kubernetes 1.31", () -> settings(V130, "lb:6443", "ECDSA-P256", null));
        assertFails("need Kubernetes 1.31", () -> settings(V130, "lb:6443", null, Duration.ofDays(90)));
        assertNull(settings(V130, "lb:6443", "RSA-2048", Duration.ofDays(365)).encryptionAlgorithm());
    }

    @Test
    void ecdsaP384OnlyFrom134AndUnknownAlgorithmsRefused() {
        assertFails("must be one of", () -> settings(V133, "lb:6443", "ECDSA-P384", null));
        assertEquals("ECDSA-P384", settings(KubernetesVersion.parse("1.34.1"), "lb:6443", "ECDSA-P384", null)
                .encryptionAlgorithm());
        assertFails("must be one of", () -> settings(V133, "lb:6443", "RSA-1024", null));
    }

    @Test
    void badEndpointsSubnetsAndVersionsAreRefused() {
        assertFails("control-plane endpoint", () -> settings(V133, "https://lb:6443", null, null));
        assertFails("control-plane endpoint", () -> settings(V133, "lb:70000", null, null));
        assertFails("not supported", () -> settings(KubernetesVersion.parse("1.27.3"), "lb:6443", null, null));
        assertFails("pod subnet", () -> new ClusterSettings(V133, null, "lb:6443", null, "10.244.0.0", null, null,
                null, null, false, null, null, null, null));
        assertFails("must be positive", () -> settings(V133, "lb:6443", null, Duration.ZERO));
        assertFails("iptables or ipvs", () -> ProxyMode.of("userspace"));
    }

    @Test
    void endpointParsing() {
        assertEquals("10.0.0.10", Endpoints.host("10.0.0.10:6443"));
        assertEquals(6443, Endpoints.port("10.0.0.10:6443"));
        assertEquals("fd00::10", Endpoints.host("[fd00::10]:6443"));
        assertEquals(6443, Endpoints.port("[fd00::10]:6443"));
        assertEquals("fd00::10", Endpoints.host("fd00::10"));
        assertEquals(-1, Endpoints.port("kube-api.internal"));
        assertTrue(Endpoints.isEndpoint("kube-api.internal:6444"));
        assertFalse(Endpoints.isEndpoint("Kube_API:6444"));
        assertTrue(Endpoints.isIp("fd00::1"));
        assertFalse(Endpoints.isIp("fd00:zz::1"));
        assertFalse(Endpoints.isIp("256.1.1.1"));
        assertTrue(Endpoints.isCidrList("10.244.0.0/16,fd00:10:244::/56"));
        assertFalse(Endpoints.isCidrList("10.244.0.0/33"));
    }

    @Test
    void certSansHoldLoadBalancerUserSansAndNodeAddressesOnce() {
        ClusterSettings c = new ClusterSettings(V133, null, "kube-api.internal:6444",
                List.of("k8s.example.com", "10.0.0.11"), "10.244.0.0/16", null, null, null, null, false, null, null,
                null, null);
        assertEquals(List.of("kube-api.internal", "k8s.example.com", "10.0.0.11", "203.0.113.11"),
                KubeadmConfigRenderer.certSans(c, new NodeSettings("m1", "10.0.0.11", "203.0.113.11")));
    }

    @Test
    void joinInputRefusesInconsistentRoles() {
        NodeSettings n = new NodeSettings("w1", "10.0.0.21", null);
        BootstrapToken t = BootstrapToken.parse("abcdef.0123456789abcdef");
        List<String> pins = List.of("sha256:" + "ab".repeat(32));
        assertFails("needs the certificate key", () -> new JoinConfigInput(V133, n, "lb:6443", t, pins, true, null, false));
        assertFails("worker join", () -> new JoinConfigInput(V133, n, "lb:6443", t, pins, false, null, true));
        assertFails("at least one CA", () -> JoinConfigInput.worker(V133, n, "lb:6443", t, List.of()));
        assertFails("sha256:", () -> JoinConfigInput.worker(V133, n, "lb:6443", t, List.of("ab".repeat(32))));
        assertFails("host:port", () -> JoinConfigInput.worker(V133, n, "lb", t, pins));
    }
}
