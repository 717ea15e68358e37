package io.kubestead.agent.pki;

import io.kubestead.agent.version.KubernetesVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the PKI depends on, as plain values.
 *
 * @param controlPlaneEndpoint {@code host:port}, {@code host} or empty (then the advertise address is used)
 * @param serviceSubnet the service CIDR list (first CIDR's first IP gets a SAN) or that IP itself
 * @param apiServerSans extra apiserver SANs (IP or DNS strings)
 * @param firstControlPlane true on the init node (writes super-admin.conf and kubelet.conf, may create CAs);
 *        false for a joining control plane, where the shared CAs and sa.key must already be in place
 */
public record PkiRequest(String clusterName, String nodeName, String advertiseAddress, String controlPlaneEndpoint,
                         int bindPort, String serviceSubnet, String dnsDomain, List<String> apiServerSans,
                         KubernetesVersion version, KeyAlgorithm keyAlgorithm, Duration caValidity,
                         Duration certValidity, Map<CaKind, ProvidedCa> providedCas, boolean firstControlPlane,
                         Instant now) {

    public static final Duration DEFAULT_CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration DEFAULT_CERT_VALIDITY = Duration.ofDays(365);

    public PkiRequest {
        apiServerSans = List.copyOf(apiServerSans);
        providedCas = providedCas.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(providedCas));
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("a node name is required");
        }
    }

    /** kubeadm's defaults: cluster "kubernetes", port 6443, 10.96.0.0/12, cluster.local, RSA-2048, 10 y / 1 y. */
    public static PkiRequest defaults(String nodeName, String advertiseAddress, KubernetesVersion version) {
        return new PkiRequest("kubernetes", nodeName, advertiseAddress, "", 6443, "10.96.0.0/12", "cluster.local",
                List.of(), version, KeyAlgorithm.RSA_2048, DEFAULT_CA_VALIDITY, DEFAULT_CERT_VALIDITY, Map.of(),
                true, Instant.now());
    }

    public PkiRequest withControlPlaneEndpoint(String endpoint) {
        return new PkiRequest(clusterName, nodeName, advertiseAddress, endpoint, bindPort, serviceSubnet, dnsDomain,
                apiServerSans, version, keyAlgorithm, caValidity, certValidity, providedCas, firstControlPlane, now);
    }

    public PkiRequest withApiServerSans(List<String> sans) {
        return new PkiRequest(clusterName, nodeName, advertiseAddress, controlPlaneEndpoint, bindPort, serviceSubnet,
                dnsDomain, sans, version, keyAlgorithm, caValidity, certValidity, providedCas, firstControlPlane, now);
    }

    public PkiRequest withKeyAlgorithm(KeyAlgorithm alg) {
        return new PkiRequest(clusterName, nodeName, advertiseAddress, controlPlaneEndpoint, bindPort, serviceSubnet,
                dnsDomain, apiServerSans, version, alg, caValidity, certValidity, providedCas, firstControlPlane, now);
    }

    public PkiRequest withValidity(Duration ca, Duration cert) {
        return new PkiRequest(clusterName, nodeName, advertiseAddress, controlPlaneEndpoint, bindPort, serviceSubnet,
                dnsDomain, apiServerSans, version, keyAlgorithm, ca, cert, providedCas, firstControlPlane, now);
    }

    public PkiRequest withProvidedCas(Map<CaKind, ProvidedCa> cas) {
        return new PkiRequest(clusterName, nodeName, advertiseAddress, controlPlaneEndpoint, bindPort, serviceSubnet,
                dnsDomain, apiServerSans, version, keyAlgorithm, caValidity, certValidity, cas, firstControlPlane, now);
    }

    /** The same request for a control plane joining an existing cluster (shared CAs copied in beforehand). */
    public PkiRequest joining() {
        return new PkiRequest(clusterName, nodeName, advertiseAddress, controlPlaneEndpoint, bindPort, serviceSubnet,
                dnsDomain, apiServerSans, version, keyAlgorithm, caValidity, certValidity, providedCas, false, now);
    }

    public PkiRequest at(Instant instant) {
        return new PkiRequest(clusterName, nodeName, advertiseAddress, controlPlaneEndpoint, bindPort, serviceSubnet,
                dnsDomain, apiServerSans, version, keyAlgorithm, caValidity, certValidity, providedCas,
                firstControlPlane, instant);
    }
}
