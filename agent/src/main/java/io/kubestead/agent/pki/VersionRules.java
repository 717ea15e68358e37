package io.kubestead.agent.pki;

import io.kubestead.agent.version.KubernetesVersion;
import java.util.List;

/**
 * The certificate details that changed between Kubernetes versions, in one place (kubeadm.md 1.1 note A and 2).
 */
public final class VersionRules {
    static final String MASTERS = "system:masters";
    static final String CLUSTER_ADMINS = "kubeadm:cluster-admins";

    private final KubernetesVersion version;

    public VersionRules(KubernetesVersion version) {
        this.version = version;
    }

    /**
     * apiserver-kubelet-client O: system:masters up to 1.28, kubeadm:cluster-admins 1.29 to 1.36, none from 1.37
     * (k/k#138957). Some 1.35/1.36 patch releases also dropped it, but they create the replacing binding
     * themselves, and kubeadm:cluster-admins still works there, so keeping it is the safe side.
     */
    public List<String> apiserverKubeletClientOrg() {
        if (!version.atLeast(29)) {
            return List.of(MASTERS);
        }
        return version.atLeast(37) ? List.of() : List.of(CLUSTER_ADMINS);
    }

    /** etcd healthcheck and apiserver-etcd-client O: system:masters before 1.29 (k/k#119859, #120521). */
    public List<String> etcdClientOrg() {
        return version.atLeast(29) ? List.of() : List.of(MASTERS);
    }

    /** admin.conf O: RBAC-bound group since 1.29. */
    public List<String> adminOrg() {
        return List.of(version.atLeast(29) ? CLUSTER_ADMINS : MASTERS);
    }

    /** super-admin.conf exists since 1.29, on the first control-plane node only. */
    public boolean superAdmin() {
        return version.atLeast(29);
    }

    /**
     * Whether kubeadm's kubeconfigs carry {@code preferences: {}}: up to 1.33 they do; from 1.34 client-go omits the
     * empty field ({@code omitzero}), so they have no such line. A real kubeadm 1.34 and 1.37 showed it
     * (RealKubeadmTest compares our kubeconfigs with the ones it writes itself).
     */
    public boolean kubeconfigPreferences() {
        return !version.atLeast(34);
    }

    /** ControlPlaneKubeletLocalMode is on by default since 1.33: kubelet.conf points to the local API server. */
    public boolean kubeletLocalMode() {
        return version.atLeast(33);
    }
}
