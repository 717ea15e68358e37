package io.kubestead.agent.kubeadm;

import io.kubestead.agent.version.KubernetesVersion;

/**
 * The kubeadm configuration API versions this agent writes (kubeadm.md 3.2): v1beta3 is accepted by
 * kubeadm 1.22-1.36, v1beta4 by 1.31 and later. We write v1beta3 up to 1.30 and v1beta4 from 1.31, as Cluster API
 * does, so each kubeadm gets the newest API it has had since its first release.
 */
public enum KubeadmApi {
    V1BETA3("kubeadm.k8s.io/v1beta3"),
    V1BETA4("kubeadm.k8s.io/v1beta4");

    public static final String KUBELET_API = "kubelet.config.k8s.io/v1beta1";
    public static final String KUBE_PROXY_API = "kubeproxy.config.k8s.io/v1alpha1";

    private final String apiVersion;

    KubeadmApi(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    /** The API to write for a Kubernetes version. */
    public static KubeadmApi forVersion(KubernetesVersion version) {
        return version.atLeast(31) ? V1BETA4 : V1BETA3;
    }

    public String apiVersion() {
        return apiVersion;
    }

    /** v1beta4 writes extraArgs as a list of {name, value}; v1beta3 as a map. */
    public boolean listExtraArgs() {
        return this == V1BETA4;
    }
}
