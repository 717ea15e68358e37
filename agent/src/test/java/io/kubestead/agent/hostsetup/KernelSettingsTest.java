package io.kubestead.agent.hostsetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.Command;
import io.kubestead.agent.version.KubernetesVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelSettingsTest {
    @Test
    void swapLinesAreCommentedOutAndTheRestKept() {
        String fstab = "UUID=1 / ext4 defaults 0 1\n/swap.img none swap sw 0 0\n# /old none swap sw 0 0\n";
        String out = KernelSettings.withoutSwap(fstab);
        assertEquals("UUID=1 / ext4 defaults 0 1\n# disabled by Kubestead (the kubelet needs swap off): /swap.img none swap sw 0 0\n"
                + "# /old none swap sw 0 0\n", out);
        assertEquals(out, KernelSettings.withoutSwap(out), "idempotent");
    }

    @Test
    void sysctlsEnableForwardingAndBridgeFiltering() {
        String s = KernelSettings.sysctlFile(false);
        assertTrue(s.contains("net.ipv4.ip_forward = 1"));
        assertTrue(s.contains("net.bridge.bridge-nf-call-iptables = 1"));
        assertTrue(KernelSettings.sysctlFile(true).contains("net.ipv6.conf.all.forwarding = 1"));
    }

    @Test
    void packagesPinTheExactVersionAndHoldIt() {
        KubernetesPackages p = new KubernetesPackages(KubernetesVersion.parse("1.33.4"));
        assertTrue(p.aptSource().contains("https://pkgs.k8s.io/core:/stable:/v1.33/deb/ /"));
        List<String> apt = p.installCommands(PackageManager.APT).stream().map(Command::display).toList();
        assertTrue(apt.stream().anyMatch(c -> c.contains("kubeadm=1.33.4-1.1")), apt.toString());
        assertTrue(apt.contains("apt-mark hold kubelet kubeadm kubectl"));
        List<String> dnf = p.installCommands(PackageManager.DNF).stream().map(Command::display).toList();
        assertTrue(dnf.get(0).contains("kubelet-1.33.4") && dnf.get(0).contains("--disableexcludes=kubernetes"));
        assertTrue(p.rpmRepo().contains("exclude=kubelet kubeadm kubectl"));
    }
}
