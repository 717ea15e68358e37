package io.kubestead.agent.airgap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.RootedHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubectlTokenCheckTest {
    static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
    @TempDir
    Path root;
    final List<Command> calls = new ArrayList<>();

    KubectlTokenCheck check(String secret, String expiration, String auth) {
        String out = b64(secret) + "\n" + b64(expiration) + "\n" + b64(auth) + "\n";
        RootedHost host = new RootedHost("m", root, c -> {
            calls.add(c);
            return c.argv().contains("bootstrap-token-abcdef") ? new ExecResult(c, 0, out, "")
                    : new ExecResult(c, 1, "", "NotFound");
        }, new ActionLog());
        return new KubectlTokenCheck(host, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void acceptsTheSecretOfAnUnexpiredAuthenticationToken() {
        assertTrue(check("0123456789abcdef", "2026-11-23T00:00:00Z", "true").valid("abcdef.0123456789abcdef"));
        assertEquals(List.of("kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf", "-n", "kube-system", "get", "secret",
                "bootstrap-token-abcdef"), calls.get(0).argv().subList(0, 8));
        assertTrue(check("0123456789abcdef", "", "true").valid("abcdef.0123456789abcdef"), "no expiration: ttl 0");
        KubectlTokenCheck once = check("0123456789abcdef", "", "true");
        calls.clear();
        assertTrue(once.valid("abcdef.0123456789abcdef") && once.valid("abcdef.0123456789abcdef"));
        assertEquals(1, calls.size(), "a valid token is remembered for a minute");
    }

    @Test
    void refusesWrongSecretsExpiredTokensOtherUsagesUnknownIdsAndMalformedTokens() {
        assertFalse(check("0123456789abcdef", "2026-11-23T00:00:00Z", "true").valid("abcdef.ffffffffffffffff"));
        assertFalse(check("0123456789abcdef", "2026-11-21T23:59:59Z", "true").valid("abcdef.0123456789abcdef"));
        assertFalse(check("0123456789abcdef", "2026-11-23T00:00:00Z", "").valid("abcdef.0123456789abcdef"));
        assertFalse(check("0123456789abcdef", "2026-11-23T00:00:00Z", "true").valid("zzzzzz.0123456789abcdef"));
        calls.clear();
        assertFalse(check("0123456789abcdef", "2026-11-23T00:00:00Z", "true").valid("abcdef.0123456789abcdef --all"));
        assertFalse(check("x", "", "true").valid("abc$(x).0123456789abcdef"));
        assertEquals(List.of(), calls, "malformed tokens never reach kubectl");
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
