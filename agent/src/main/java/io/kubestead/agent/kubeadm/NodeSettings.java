package io.kubestead.agent.kubeadm;

/**
 * The node being installed or joined: its Kubernetes node name (lowercase RFC 1123), the private address the
 * kubelet and API server use, and an optional public address (null if none) added to the API server's SANs.
 */
public record NodeSettings(String name, String privateAddress, String publicAddress) {
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
