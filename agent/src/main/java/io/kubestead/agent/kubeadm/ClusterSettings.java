package io.kubestead.agent.kubeadm;

import io.kubestead.agent.version.KubernetesVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cluster-wide settings for kubeadm, already decided from the user's words. Null optional fields take kubeadm's
 * defaults (cluster name {@code kubernetes}, service subnet {@code 10.96.0.0/12}, DNS domain {@code cluster.local},
 * images from {@code registry.k8s.io}, certificates in {@code /etc/kubernetes/pki}, RSA-2048, 1 and 10 years,
 * iptables). {@code encryptionAlgorithm} and the validity periods need Kubernetes 1.31 (kubeadm v1beta4);
 * before that only their built-in values are accepted, and they read back as null.
 *
 * @param controlPlaneEndpoint the load balancer: {@code host:port} of an external one, or the internal one's
 *                             endpoint such as a stable API name on port 6444
 * @param certSans             extra API server SANs (user cert-sans, the stable API name); the endpoint host and the
 *                             node's addresses are added by the renderer
 * @param podSubnet            pod CIDR, also kube-proxy's clusterCIDR; required
 * @param taintControlPlane    true to give control-plane nodes the NoSchedule taint; false lets them run workloads
 */
public record ClusterSettings(
        KubernetesVersion kubernetesVersion,
        String clusterName,
        String controlPlaneEndpoint,
        List<String> certSans,
        String podSubnet,
        String serviceSubnet,
        String dnsDomain,
        String imageRepository,
        String certificatesDir,
        boolean taintControlPlane,
        String encryptionAlgorithm,
        Duration certificateValidity,
        Duration caCertificateValidity,
        ProxyMode proxyMode) {

    public static final List<String> ENCRYPTION_ALGORITHMS = List.of("RSA-2048", "RSA-3072", "RSA-4096", "ECDSA-P256");
    /** Added in kubeadm 1.34. */
    public static final String ECDSA_P384 = "ECDSA-P384";

    public ClusterSettings {
        if (kubernetesVersion == null || !kubernetesVersion.supported()) {
            throw new IllegalArgumentException("Kubernetes version " + kubernetesVersion + " is not supported (1."
                    + KubernetesVersion.MIN_MINOR + " to 1." + KubernetesVersion.MAX_MINOR + ")");
        }
        clusterName = orDefault(clusterName, "kubernetes");
        if (!Endpoints.isDnsSubdomain(clusterName)) {
            throw new IllegalArgumentException("cluster name must be a lowercase RFC 1123 name, not '" + clusterName + "'");
        }
        if (!Endpoints.isEndpoint(controlPlaneEndpoint)) {
            throw new IllegalArgumentException("control-plane endpoint must be host:port, not '" + controlPlaneEndpoint + "'");
        }
        certSans = List.copyOf(certSans == null ? List.of() : certSans);
        if (!Endpoints.isCidrList(podSubnet)) {
            throw new IllegalArgumentException("pod subnet must be a CIDR such as 10.244.0.0/16, not '" + podSubnet + "'");
        }
        serviceSubnet = orDefault(serviceSubnet, "10.96.0.0/12");
        if (!Endpoints.isCidrList(serviceSubnet)) {
            throw new IllegalArgumentException("service subnet must be a CIDR such as 10.96.0.0/12, not '" + serviceSubnet + "'");
        }
        dnsDomain = orDefault(dnsDomain, "cluster.local");
        imageRepository = orDefault(imageRepository, "registry.k8s.io");
        certificatesDir = orDefault(certificatesDir, "/etc/kubernetes/pki");
        proxyMode = proxyMode == null ? ProxyMode.IPTABLES : proxyMode;
        boolean v1beta4 = kubernetesVersion.atLeast(31);
        if (!v1beta4 && !(orDefault(encryptionAlgorithm, "RSA-2048").equals("RSA-2048")
                && Duration.ofDays(365).equals(Objects.requireNonNullElse(certificateValidity, Duration.ofDays(365)))
                && Duration.ofDays(3650).equals(Objects.requireNonNullElse(caCertificateValidity, Duration.ofDays(3650))))) {
            throw new IllegalArgumentException("encryption algorithm and certificate validity periods need Kubernetes "
                    + "1.31 or later (kubeadm " + kubernetesVersion + " has RSA-2048, 1 year and 10 years built in)");
        }
        if (!v1beta4) {
            encryptionAlgorithm = null;
            certificateValidity = null;
            caCertificateValidity = null;
        }
        if (v1beta4) {
            encryptionAlgorithm = orDefault(encryptionAlgorithm, "RSA-2048");
            List<String> allowed = new ArrayList<>(ENCRYPTION_ALGORITHMS);
            if (kubernetesVersion.atLeast(34)) {
                allowed.add(ECDSA_P384);
            }
            if (!allowed.contains(encryptionAlgorithm)) {
                throw new IllegalArgumentException("encryption algorithm must be one of " + String.join(", ", allowed)
                        + " for Kubernetes " + kubernetesVersion + ", not '" + encryptionAlgorithm + "'");
            }
            certificateValidity = positive(certificateValidity, Duration.ofDays(365), "certificate validity");
            caCertificateValidity = positive(caCertificateValidity, Duration.ofDays(3650), "CA certificate validity");
        }
    }

    /** Defaults for everything but the version, the load balancer endpoint and the pod subnet. */
    public static ClusterSettings defaults(KubernetesVersion version, String controlPlaneEndpoint, String podSubnet) {
        return new ClusterSettings(version, null, controlPlaneEndpoint, List.of(), podSubnet, null, null, null, null,
                false, null, null, null, null);
    }

    public KubeadmApi api() {
        return KubeadmApi.forVersion(kubernetesVersion);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    private static Duration positive(Duration d, Duration fallback, String what) {
        if (d == null) {
            return fallback;
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, not " + d);
        }
        return d;
    }
}
