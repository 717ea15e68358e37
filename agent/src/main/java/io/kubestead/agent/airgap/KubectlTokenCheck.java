package io.kubestead.agent.airgap;

import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.Host;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a bootstrap token against its Secret in kube-system (what the API server itself trusts), through kubectl
 * with the master's admin kubeconfig: the secret must match, the token must be usable for authentication and not
 * be expired. The token's format is checked first, so nothing but {@code [a-z0-9]} reaches the command line.
 */
public final class KubectlTokenCheck implements TokenCheck {
    static final Pattern TOKEN = Pattern.compile("([a-z0-9]{6})\\.([a-z0-9]{16})");
    static final String ADMIN_CONF = "/etc/kubernetes/admin.conf";
    private static final String JSONPATH = "jsonpath={.data.token-secret}{\"\\n\"}{.data.expiration}{\"\\n\"}"
            + "{.data.usage-bootstrap-authentication}{\"\\n\"}";

    /** A token found valid is not asked about again for this long: a bundle is fetched in dozens of requests. */
    static final java.time.Duration REMEMBER = java.time.Duration.ofMinutes(1);

    private final Host host;
    private final Clock clock;
    private final java.util.Map<String, java.time.Instant> recent = new java.util.concurrent.ConcurrentHashMap<>();

    public KubectlTokenCheck(Host host, Clock clock) {
        this.host = host;
        this.clock = clock;
    }

    @Override
    public boolean valid(String token) {
        var m = TOKEN.matcher(token);
        if (!m.matches()) {
            return false;
        }
        java.time.Instant until = recent.get(token);
        if (until != null && clock.instant().isBefore(until)) {
            return true;
        }
        recent.remove(token);
        boolean ok = asked(m);
        if (ok) {
            recent.put(token, clock.instant().plus(REMEMBER));
        }
        return ok;
    }

    private boolean asked(java.util.regex.Matcher m) {
        ExecResult r = host.run(Command.of(List.of("kubectl", "--kubeconfig", ADMIN_CONF, "-n", "kube-system", "get",
                "secret", "bootstrap-token-" + m.group(1), "-o", JSONPATH)).withTimeout(java.time.Duration.ofSeconds(20)));
        if (!r.ok()) {
            return false;
        }
        List<String> lines = r.stdout().lines().toList();
        if (lines.size() < 3) {
            return false;
        }
        byte[] secret = decode(lines.get(0));
        boolean same = MessageDigest.isEqual(secret, m.group(2).getBytes(StandardCharsets.US_ASCII));
        boolean auth = new String(decode(lines.get(2)), StandardCharsets.UTF_8).equals("true");
        String expiration = new String(decode(lines.get(1)), StandardCharsets.UTF_8);
        return same && auth && notExpired(expiration);
    }

    private boolean notExpired(String expiration) {
        if (expiration.isEmpty()) {
            return true; // a token created with ttl 0 never expires
        }
        try {
            return java.time.OffsetDateTime.parse(expiration).toInstant().isAfter(clock.instant());
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static byte[] decode(String b64) {
        try {
            return Base64.getDecoder().decode(b64.strip());
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}
