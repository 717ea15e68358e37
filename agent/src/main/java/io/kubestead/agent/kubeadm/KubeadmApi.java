package io.kubestead.agent.kubeadm;

import io.kubestead.agent.version.KubernetesVersion;

/**
 * The kubeadm configuration API versions this agent writes or checks (kubeadm.md 3.2): v1beta3 is accepted by
 * kubeadm 1.22-1.36, v1beta4 by 1.31 and later. We write v1beta3 up to 1.30 and v1beta4 from 1.31, as Cluster API
 * does, so each kubeadm gets the newest API it has had since its first release.
 */
public enum KubeadmApi {
    V1BETA3("kubeadm.k8s.io/v1beta3", 22, 36),
    V1BETA4("kubeadm.k8s.io/v1beta4", 31, Integer.MAX_VALUE);

    public static final String KUBELET_API = "kubelet.config.k8s.io/v1beta1";
    public static final String KUBE_PROXY_API = "kubeproxy.config.k8s.io/v1alpha1";

    private final String apiVersion;
    private final int firstMinor;
    private final int lastMinor;

    KubeadmApi(String apiVersion, int firstMinor, int lastMinor) {
        this.apiVersion = apiVersion;
        this.firstMinor = firstMinor;
        this.lastMinor = lastMinor;
    }

    /** The API to write for a Kubernetes version. */
    public static KubeadmApi forVersion(KubernetesVersion version) {
        return version.atLeast(31) ? V1BETA4 : V1BETA3;
    }

    /** The API with this apiVersion string, or null. */
    public static KubeadmApi ofApiVersion(String apiVersion) {
        for (KubeadmApi api : values()) {
            if (api.apiVersion.equals(apiVersion)) {
                return api;
            }
        }
        return null;
    }

    public String apiVersion() {
        return apiVersion;
    }

    /** Whether kubeadm of this version reads this API at all. */
    public boolean acceptedBy(KubernetesVersion version) {
        return version.major() == 1 && version.minor() >= firstMinor && version.minor() <= lastMinor;
    }

    /** v1beta4 writes extraArgs as a list of {name, value}; v1beta3 as a map. */
    public boolean listExtraArgs() {
        return this == V1BETA4;
    }
}
