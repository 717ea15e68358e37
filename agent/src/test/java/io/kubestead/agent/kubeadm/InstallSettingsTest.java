package io.kubestead.agent.kubeadm;

import io.kubestead.agent.spec.InstallSpec;
import io.kubestead.agent.spec.InstallSpecParser;
import io.kubestead.agent.spec.Prompter;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** kubeadm's certSANs are the balancer's names as the spec decides them, then the user's cert-sans. */
class InstallSettingsTest {

    private static ClusterSettings cluster(String... words) {
        InstallSpec spec = new InstallSpecParser("node-1", "10.0.0.5", Path.of("/"), Prompter.NONE).parse(List.of(words));
        return InstallSettings.cluster(spec);
    }

    @Test
    void internalBalancerAddsOnlyTheStableNameNotLoopback() {
        ClusterSettings c = cluster("ha", "yes", "cluster-name=prod", "cert-sans=extra.example,192.0.2.7");
        assertEquals("api.prod.kubestead.internal:6444", c.controlPlaneEndpoint());
        assertEquals(List.of("api.prod.kubestead.internal", "extra.example", "192.0.2.7"), c.certSans());
    }

    @Test
    void externalAndVipAddTheirAddress() {
        assertEquals(List.of("api.kubernetes.kubestead.internal", "lb.corp.example"),
                cluster("ha", "load-balancer-address=lb.corp.example").certSans());
        assertEquals("lb.corp.example:6443", cluster("ha", "load-balancer-address=lb.corp.example").controlPlaneEndpoint());
        assertEquals(List.of("api.kubernetes.kubestead.internal", "fd00::10"),
                cluster("ha", "load-balancer-address=[fd00::10]:443").certSans());
        assertEquals(List.of("api.kubernetes.kubestead.internal", "10.0.0.100"), cluster("vip=10.0.0.100").certSans());
    }
}
