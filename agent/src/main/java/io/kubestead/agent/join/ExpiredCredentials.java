package io.kubestead.agent.join;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recognises kubeadm join failures caused by an expired or wrong bootstrap token or certificate key (token TTL
 * 24 h, certificate key and kubeadm-certs 2 h) and turns them into one instruction for the user.
 */
public final class ExpiredCredentials {
    /** The role the join command was generated for. */
    public enum Role {
        MASTER, WORKER
    }

    // Strings kubeadm prints (KA/discovery/token/token.go, KA/phases/copycerts/copycerts.go, apiserver 401/403).
    private static final List<Pattern> TOKEN = List.of(
            Pattern.compile("token id \"[^\"]*\" is invalid for this cluster or it has expired"),
            // not kubeadm's "couldn't validate the identity of the API Server": it wraps every discovery failure,
            // a CA hash of another cluster and an unreachable endpoint too (KA/discovery/discovery.go)
            Pattern.compile("could not find a JWS signature in the cluster-info ConfigMap for token ID"),
            Pattern.compile("failed to verify JWS signature of received cluster info object"),
            Pattern.compile("\\bUnauthorized\\b"));
    private static final List<Pattern> CERTIFICATE_KEY = List.of(
            Pattern.compile("secrets? \"kubeadm-certs\" (is forbidden|not found|was not found)", Pattern.CASE_INSENSITIVE),
            Pattern.compile("error decoding (secret data with provided key|certificate key)"),
            Pattern.compile("failed to decrypt"),
            Pattern.compile("cipher: message authentication failed"));

    private ExpiredCredentials() {
    }

    /** The instruction when {@code kubeadmOutput} shows an expired token or key; empty for other failures. */
    public static Optional<String> explain(String kubeadmOutput, Role role) {
        boolean token = TOKEN.stream().anyMatch(p -> p.matcher(kubeadmOutput).find());
        boolean key = role == Role.MASTER && CERTIFICATE_KEY.stream().anyMatch(p -> p.matcher(kubeadmOutput).find());
        if (!token && !key) {
            return Optional.empty();
        }
        return Optional.of(instruction(role));
    }

    /** What to tell a joiner whose token (or, for a master, certificate key) no longer works. */
    public static String instruction(Role role) {
        return role == Role.MASTER
                ? "the join token or certificate key has expired; run 'kubestead join-script master' on a master "
                        + "and use the new command"
                : "the join token has expired; run 'kubestead join-script worker' on a master and use the new command";
    }
}
