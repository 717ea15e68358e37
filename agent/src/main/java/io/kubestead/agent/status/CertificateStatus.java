package io.kubestead.agent.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A certificate on this master (kubeadm's names, as {@code kubestead certs check-expiration} lists them; CAs have
 * {@code authority} empty). {@code expires} is empty when the file is missing.
 */
public record CertificateStatus(String name, Optional<Instant> expires, String authority) {
    public boolean missing() {
        return expires.isEmpty();
    }

    public boolean authorityCertificate() {
        return authority.isEmpty();
    }

    public Optional<Duration> remaining(Instant now) {
        return expires.map(e -> Duration.between(now, e));
    }
}
