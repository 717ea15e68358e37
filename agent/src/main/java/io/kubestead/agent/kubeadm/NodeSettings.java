package io.kubestead.agent.kubeadm;

/**
 * The node being installed or joined: its Kubernetes node name (lowercase RFC 1123), the private address the
 * kubelet and API server use, and an optional public address (null if none) added to the API server's SANs.
 * {@code keepCgroupV1}: the operator keeps this cgroup v1 host knowingly (preflight-ignore=cgroups) on a release
 * whose kubelet refuses cgroup v1 (1.35 and later), so the kubelet is told {@code failCgroupV1: false} and kubeadm
 * skips its SystemVerification check, which fails on cgroup v1 for such a kubelet.
 */
public record NodeSettings(String name, String privateAddress, String publicAddress, boolean keepCgroupV1) {
    public NodeSettings(String name, String privateAddress, String publicAddress) {
        this(name, privateAddress, publicAddress, false);
    }

    /** Whether the words keep a cgroup v1 host for a kubelet that would otherwise refuse it. */
    public static boolean keepsCgroupV1(java.util.Set<String> preflightIgnore,
                                        io.kubestead.agent.version.KubernetesVersion version) {
        return preflightIgnore.contains(io.kubestead.agent.spec.InstallWords.CGROUPS_CHECK) && version.atLeast(35);
    }

    public NodeSettings {
        if (name == null || !Endpoints.isDnsSubdomain(name)) {
            throw new IllegalArgumentException("node name must be a lowercase RFC 1123 name, not '" + name + "'");
        }
        if (privateAddress == null || !Endpoints.isIp(privateAddress)) {
            throw new IllegalArgumentException("private address must be an IP address, not '" + privateAddress + "'");
        }
        if (publicAddress != null && publicAddress.isBlank()) {
            publicAddress = null;
        }
    }
}
