package io.kubestead.agent.kubeadm;

import io.kubestead.agent.version.KubernetesVersion;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code kubeadm join} needs. A control-plane join carries the certificate key (to download the shared CA
 * keys) and the taint choice; a worker join carries neither.
 *
 * @param apiServerEndpoint {@code host:port} to discover the cluster from, normally the control-plane endpoint
 * @param caCertHashes      {@code sha256:<64 hex>} pins of the cluster CA's public key (at least one)
 * @param certificateKey    null for a worker
 */
public record JoinConfigInput(KubernetesVersion kubernetesVersion, NodeSettings node, String apiServerEndpoint,
                              BootstrapToken token, List<String> caCertHashes, boolean controlPlane,
                              CertificateKey certificateKey, boolean taintControlPlane) {
    public static final Pattern CA_CERT_HASH = Pattern.compile("\\Asha256:[0-9a-f]{64}\\z");

    public JoinConfigInput {
        if (kubernetesVersion == null || node == null || token == null) {
            throw new IllegalArgumentException("join configuration needs version, node and token");
        }
        if (!kubernetesVersion.supported()) {
            throw new IllegalArgumentException("Kubernetes version " + kubernetesVersion + " is not supported (1."
                    + KubernetesVersion.MIN_MINOR + " to 1." + KubernetesVersion.MAX_MINOR + ")");
        }
        if (!Endpoints.isEndpoint(apiServerEndpoint) || Endpoints.port(apiServerEndpoint) < 0) {
            throw new IllegalArgumentException("API server endpoint must be host:port, not '" + apiServerEndpoint + "'");
        }
        caCertHashes = List.copyOf(caCertHashes == null ? List.of() : caCertHashes);
        if (caCertHashes.isEmpty()) {
            throw new IllegalArgumentException("join needs at least one CA certificate hash (sha256:...)");
        }
        for (String h : caCertHashes) {
            if (!CA_CERT_HASH.matcher(h).matches()) {
                throw new IllegalArgumentException("CA certificate hash must be sha256: and 64 lowercase hex, not '" + h + "'");
            }
        }
        if (controlPlane && certificateKey == null) {
            throw new IllegalArgumentException("a control-plane join needs the certificate key");
        }
        if (!controlPlane && (certificateKey != null || taintControlPlane)) {
            throw new IllegalArgumentException("a worker join takes neither a certificate key nor the control-plane taint");
        }
    }

    public static JoinConfigInput worker(KubernetesVersion version, NodeSettings node, String apiServerEndpoint,
                                         BootstrapToken token, List<String> caCertHashes) {
        return new JoinConfigInput(version, node, apiServerEndpoint, token, caCertHashes, false, null, false);
    }

    public static JoinConfigInput controlPlane(KubernetesVersion version, NodeSettings node, String apiServerEndpoint,
                                               BootstrapToken token, List<String> caCertHashes,
                                               CertificateKey certificateKey, boolean taintControlPlane) {
        return new JoinConfigInput(version, node, apiServerEndpoint, token, caCertHashes, true, certificateKey,
                taintControlPlane);
    }

    public KubeadmApi api() {
        return KubeadmApi.forVersion(kubernetesVersion);
    }
}
