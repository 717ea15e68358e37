package io.kubestead.agent.pki;

import java.util.List;

/**
 * One leaf certificate kubeadm expects: its kubeadm name (as {@code kubeadm certs} calls it), its file base under
 * the pki directory, subject, usage, required SANs and signing CA.
 */
public record CertSpec(String name, String baseName, String commonName, List<String> organizations, CertUsage usage,
                       SubjectAltNames sans, CaKind issuer) {
    public CertSpec {
        organizations = List.copyOf(organizations);
    }
}
