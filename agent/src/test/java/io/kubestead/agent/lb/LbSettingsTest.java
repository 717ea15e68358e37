package io.kubestead.agent.lb;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.spec.LoadBalancer;
import io.kubestead.agent.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LbSettingsTest {
    static final List<Master> MASTERS = List.of(new Master("m1", "10.0.0.1"), new Master("m2", "10.0.0.2"));

    @Test
    void internalUsesTheStableNameOnLoopback() {
        LbSettings s = Settings.internal("prod");
        assertEquals(LoadBalancer.Mode.INTERNAL, s.mode());
        assertEquals("api.prod.kubestead.internal:6444", s.controlPlaneEndpoint());
        assertEquals(List.of("api.prod.kubestead.internal"), s.certificateSans());
        assertEquals(Map.of("api.prod.kubestead.internal", "127.0.0.1"), s.hostsEntries(MASTERS));
        assertTrue(s.runsHaproxy());
        assertEquals("api.prod.kubestead.internal:7000", s.withInternalPort(7000).controlPlaneEndpoint());
    }

    @Test
    void externalByIpIsReachedThroughTheStableName() {
        LbSettings s = Settings.external("kubernetes", "10.0.0.10:8443");
        assertEquals("api.kubernetes.kubestead.internal:8443", s.controlPlaneEndpoint());
        assertEquals(List.of("api.kubernetes.kubestead.internal", "10.0.0.10"), s.certificateSans());
        assertEquals(Map.of("api.kubernetes.kubestead.internal", "10.0.0.10"), s.hostsEntries(MASTERS));
        assertFalse(s.runsHaproxy());
        String targets = s.balancerTargets(MASTERS).orElseThrow();
        assertTrue(targets.contains("10.0.0.1:6443  (m1)") && targets.contains("10.0.0.2:6443  (m2)"), targets);
    }

    @Test
    void externalByNameIsUsedAsIs() {
        LbSettings s = Settings.external("prod", "lb.corp.example");
        assertEquals("lb.corp.example:6443", s.controlPlaneEndpoint());
        assertEquals(List.of("api.prod.kubestead.internal", "lb.corp.example"), s.certificateSans());
        assertEquals(Map.of(), s.hostsEntries(MASTERS), "/etc/hosts cannot alias a name to a name");
    }

    @Test
    void externalIpv6() {
        LbSettings s = Settings.external("prod", "[fd00::10]:443");
        assertEquals("api.prod.kubestead.internal:443", s.controlPlaneEndpoint());
        assertEquals(Map.of("api.prod.kubestead.internal", "fd00::10"), s.hostsEntries(MASTERS));
    }

    @Test
    void vipAndNone() {
        LbSettings vip = Settings.vip("prod", "10.0.0.100", "eth0");
        assertEquals("api.prod.kubestead.internal:6443", vip.controlPlaneEndpoint());
        assertEquals(List.of("api.prod.kubestead.internal", "10.0.0.100"), vip.certificateSans());
        assertEquals(Vip.routerIdFor("prod"), vip.vip().orElseThrow().routerId());
        assertEquals(Map.of("api.prod.kubestead.internal", "10.0.0.100"), vip.hostsEntries(MASTERS));
        LbSettings none = Settings.none("prod");
        assertEquals(LoadBalancer.Mode.NONE, none.mode());
        assertEquals("api.prod.kubestead.internal:6443", none.controlPlaneEndpoint());
        assertEquals(Map.of("api.prod.kubestead.internal", "10.0.0.1"), none.hostsEntries(MASTERS));
    }

    @Test
    void badInputNamesWhatToFix() {
        LoadBalancer vipLb = new LoadBalancer(LoadBalancer.Mode.VIP, null, 6444, "10.0.0.100", "vip");
        assertMessage("no network interface on this host reaches it",
                () -> LbSettings.of(vipLb, "prod", "api.prod.kubestead.internal", null, null));
        assertMessage("cluster name", () -> Settings.internal("Prod_1"));
        assertMessage("internal-load-balancer-port", () -> Settings.internal("p").withInternalPort(6443));
        assertMessage("not an IPv4 or IPv6", () -> new Master("m1", "10.0.0.256"));
        assertMessage("not a valid node name", () -> new Master("M_1", "10.0.0.1"));
        assertMessage("must be 1-255", () -> LbSettings.of(vipLb, "prod", "api.prod.kubestead.internal", "eth0", 0));
    }

    @Test
    void mastersKnownOnlyByAddressGetStableNames() {
        assertEquals("master-10-0-0-1", Master.fromAddress("10.0.0.1").name());
        assertEquals("master-fd00-1", Master.fromAddress("fd00::1").name());
        assertEquals("[fd00::1]:6443", Master.fromAddress("fd00::1").endpoint());
    }

    @Test
    void routerIdIsStableAndInRange() {
        int id = Vip.routerIdFor("prod");
        assertEquals(id, Vip.routerIdFor("prod"));
        assertTrue(id >= 1 && id <= 255);
    }

    @Test
    void vipInterfaceComesFromTheRoutingTable() {
        RootedHost local = RootedHost.local(new ActionLog());
        assertEquals(Optional.of("lo"), Vip.detectInterface(local, "127.0.0.1"));
        RootedHost routed = new RootedHost("r", Path.of("/"), c -> new io.kubestead.agent.host.ExecResult(c, 0,
                "192.0.2.1 via 10.0.0.254 dev eth0 src 10.0.0.1 uid 0 \\    cache \n", ""), new ActionLog());
        assertEquals(Optional.empty(), Vip.detectInterface(routed, "192.0.2.1"), "behind a gateway VRRP cannot hold it");
    }

    private static void assertMessage(String part, Runnable r) {
        SpecException e = assertThrows(SpecException.class, r::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
