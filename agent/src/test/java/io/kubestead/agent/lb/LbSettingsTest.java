package io.kubestead.agent.lb;

import io.kubestead.agent.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LbSettingsTest {
    static final List<Master> MASTERS = List.of(new Master("m1", "10.0.0.1"), new Master("m2", "10.0.0.2"));

    @Test
    void internalUsesTheStableNameOnLoopback() {
        LbSettings s = LbSettings.fromWords("prod", true, null, null, null, null, null);
        assertEquals(LoadBalancerMode.INTERNAL, s.mode());
        assertEquals("api.prod.kubestead.internal:6444", s.controlPlaneEndpoint());
        assertEquals(List.of("api.prod.kubestead.internal"), s.certificateSans());
        assertEquals(Map.of("api.prod.kubestead.internal", "127.0.0.1"), s.hostsEntries(MASTERS));
        assertTrue(s.runsHaproxy());
        assertEquals("api.prod.kubestead.internal:7000",
                LbSettings.fromWords("prod", true, null, null, null, null, 7000).controlPlaneEndpoint());
    }

    @Test
    void externalByIpIsReachedThroughTheStableName() {
        LbSettings s = LbSettings.fromWords(null, true, "10.0.0.10:8443", null, null, null, null);
        assertEquals("api.kubernetes.kubestead.internal:8443", s.controlPlaneEndpoint());
        assertEquals(List.of("api.kubernetes.kubestead.internal", "10.0.0.10"), s.certificateSans());
        assertEquals(Map.of("api.kubernetes.kubestead.internal", "10.0.0.10"), s.hostsEntries(MASTERS));
        assertFalse(s.runsHaproxy());
        String targets = s.balancerTargets(MASTERS).orElseThrow();
        assertTrue(targets.contains("10.0.0.1:6443  (m1)") && targets.contains("10.0.0.2:6443  (m2)"), targets);
    }

    @Test
    void externalByNameIsUsedAsIsWithDefaultPort() {
        LbSettings s = LbSettings.fromWords("prod", true, "LB.corp.example", null, null, null, null);
        assertEquals("lb.corp.example:6443", s.controlPlaneEndpoint());
        assertEquals(List.of("api.prod.kubestead.internal", "lb.corp.example"), s.certificateSans());
        assertEquals(Map.of(), s.hostsEntries(MASTERS), "/etc/hosts cannot alias a name to a name");
    }

    @Test
    void externalIpv6() {
        LbSettings s = LbSettings.fromWords("prod", true, "[fd00::10]:443", null, null, null, null);
        assertEquals("api.prod.kubestead.internal:443", s.controlPlaneEndpoint());
        assertEquals(Map.of("api.prod.kubestead.internal", "fd00::10"), s.hostsEntries(MASTERS));
        assertEquals("[fd00::10]:443", s.external().orElseThrow().toString());
    }

    @Test
    void vipAndDirect() {
        LbSettings vip = LbSettings.fromWords("prod", true, null, "10.0.0.100", "eth0", null, null);
        assertEquals("api.prod.kubestead.internal:6443", vip.controlPlaneEndpoint());
        assertEquals(List.of("api.prod.kubestead.internal", "10.0.0.100"), vip.certificateSans());
        assertEquals(Vip.routerIdFor("prod"), vip.vip().orElseThrow().routerId());
        assertEquals(Map.of("api.prod.kubestead.internal", "10.0.0.100"), vip.hostsEntries(MASTERS));
        LbSettings direct = LbSettings.fromWords("prod", false, null, null, null, null, null);
        assertEquals(LoadBalancerMode.DIRECT, direct.mode());
        assertEquals(Map.of("api.prod.kubestead.internal", "10.0.0.1"), direct.hostsEntries(MASTERS));
    }

    @Test
    void badWordsNameTheWord() {
        assertMessage("load-balancer-address=10.0.0.10:99999", () -> LbSettings.fromWords("p", true, "10.0.0.10:99999", null, null, null, null));
        assertMessage("load-balancer-address=bad_host:1", () -> LbSettings.fromWords("p", true, "bad_host:1", null, null, null, null));
        assertMessage("load-balancer-address and vip", () -> LbSettings.fromWords("p", true, "1.2.3.4", "1.2.3.5", "eth0", null, null));
        assertMessage("vip-interface", () -> LbSettings.fromWords("p", true, null, "1.2.3.5", null, null, null));
        assertMessage("cluster name", () -> LbSettings.fromWords("Prod_1", true, null, null, null, null, null));
        assertMessage("internal-lb-port", () -> LbSettings.fromWords("p", true, null, null, null, null, 6443));
        assertMessage("not an IPv4 or IPv6", () -> new Master("m1", "10.0.0.256"));
    }

    @Test
    void routerIdIsStableAndInRange() {
        int id = Vip.routerIdFor("prod");
        assertEquals(id, Vip.routerIdFor("prod"));
        assertTrue(id >= 1 && id <= 255);
    }

    private static void assertMessage(String part, Runnable r) {
        SpecException e = assertThrows(SpecException.class, r::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
