package io.kubestead.agent.kubeadm;

import java.time.Duration;

/**
 * What {@code kubeadm init} on the first control-plane node needs beyond the cluster settings: the node, the
 * bootstrap token the other nodes join with (and its lifetime), and the key that encrypts the uploaded
 * control-plane certificates.
 */
public record InitConfigInput(ClusterSettings cluster, NodeSettings node, BootstrapToken token, Duration tokenTtl,
                              CertificateKey certificateKey) {
    public InitConfigInput {
        if (cluster == null || node == null || token == null || certificateKey == null) {
            throw new IllegalArgumentException("init configuration needs cluster, node, token and certificate key");
        }
        tokenTtl = tokenTtl == null ? Duration.ofHours(24) : tokenTtl;
        if (tokenTtl.isNegative()) {
            throw new IllegalArgumentException("token TTL must not be negative (0 means never expires)");
        }
    }
}
