package io.kubestead.agent.reset;

import io.kubestead.agent.host.Host;
import java.util.List;

/** Whether kubeadm init or join left anything here that {@code kubeadm reset} would clean up. */
public final class KubeadmTraces {
    static final List<String> FILES = List.of("/etc/kubernetes/kubelet.conf", "/etc/kubernetes/admin.conf",
            "/etc/kubernetes/super-admin.conf", "/etc/kubernetes/bootstrap-kubelet.conf", "/var/lib/etcd/member");
    static final List<String> DIRS = List.of("/etc/kubernetes/manifests", "/etc/kubernetes/pki");

    private KubeadmTraces() {
    }

    public static boolean present(Host host) {
        return FILES.stream().anyMatch(host::exists) || DIRS.stream().anyMatch(d -> hasEntries(host, d));
    }

    private static boolean hasEntries(Host host, String dir) {
        try {
            return !host.list(dir).isEmpty();
        } catch (RuntimeException e) {
            return true; // there, but unreadable without root: kubeadm reset has work to do
        }
    }
}
