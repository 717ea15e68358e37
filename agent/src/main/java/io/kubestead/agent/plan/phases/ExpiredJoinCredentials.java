package io.kubestead.agent.plan.phases;

import java.util.List;
import java.util.Locale;

/** Turns kubeadm's errors for an expired token or certificate key into what to do about it. */
final class ExpiredJoinCredentials {
    private static final List<String> SIGNS = List.of(
            "has expired", "is invalid for this cluster", "unauthorized", "couldn't validate the identity",
            "kubeadm-certs", "failed to decrypt", "error decoding");

    private ExpiredJoinCredentials() {
    }

    static String explain(String kubeadmError) {
        String lower = kubeadmError.toLowerCase(Locale.ROOT);
        if (SIGNS.stream().anyMatch(lower::contains)) {
            return "the join token or certificate key is no longer valid (tokens last 24 hours, certificate keys 2 hours):"
                    + " run 'kubestead join-script master' or 'kubestead join-script worker' on a master and use the new"
                    + " command (kubeadm said: " + kubeadmError + ")";
        }
        return kubeadmError;
    }
}
