package io.kubestead.agent.status;

import java.time.Instant;
import java.util.Optional;

/**
 * A join script on this master: {@code role} is {@code master} or {@code worker}; {@code expires} is when its
 * credentials stop working (the uploaded certificates for masters, the token for workers), empty when unknown.
 */
public record JoinScriptStatus(String role, String path, boolean present, Optional<Instant> expires) {
    public boolean expiredAt(Instant now) {
        return expires.map(e -> !e.isAfter(now)).orElse(false);
    }
}
