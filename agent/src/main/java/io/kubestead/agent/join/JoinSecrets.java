package io.kubestead.agent.join;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.kubeadm.BootstrapToken;
import io.kubestead.agent.kubeadm.CertificateKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The current bootstrap token and certificate key with their expiry, kept on the master at
 * /var/lib/kubestead/join-secrets.json (mode 0600), so a rerun reuses them and join-script replaces them.
 */
public record JoinSecrets(BootstrapToken token, Instant tokenExpires, CertificateKey certificateKey, Instant keyExpires) {
    public static final String PATH = "/var/lib/kubestead/join-secrets.json";
    /** kubeadm deletes the uploaded certificates two hours after upload. */
    public static final java.time.Duration KEY_TTL = java.time.Duration.ofHours(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static JoinSecrets generate(SecureRandom random, Instant at, java.time.Duration tokenTtl) {
        // whole seconds: the expiry is printed to people and stored as RFC 3339 in the token Secret
        Instant now = at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return new JoinSecrets(BootstrapToken.generate(random), now.plus(tokenTtl), CertificateKey.generate(random),
                now.plus(KEY_TTL));
    }

    /** The secrets on the host, or new ones written there first. */
    public static JoinSecrets loadOrCreate(Host host, SecureRandom random, Instant now, java.time.Duration tokenTtl) {
        return load(host).orElseGet(() -> {
            JoinSecrets s = generate(random, now, tokenTtl);
            s.save(host);
            return s;
        });
    }

    public static java.util.Optional<JoinSecrets> load(Host host) {
        return host.readFile(PATH).map(bytes -> {
            try {
                Map<?, ?> m = JSON.readValue(bytes, Map.class);
                return new JoinSecrets(BootstrapToken.parse((String) m.get("token")), Instant.parse((String) m.get("tokenExpires")),
                        CertificateKey.parse((String) m.get("certificateKey")), Instant.parse((String) m.get("certificateKeyExpires")));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(PATH + " is damaged (" + e.getClass().getSimpleName()
                        + "); delete it and run 'kubestead join-script' to make new join secrets");
            }
        });
    }

    public void save(Host host) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("token", token.value());
        m.put("tokenExpires", tokenExpires.toString());
        m.put("certificateKey", certificateKey.value());
        m.put("certificateKeyExpires", keyExpires.toString());
        try {
            host.writeFile(PATH, JSON.writeValueAsBytes(m), 0600);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "JoinSecrets[token=" + token + ", expires " + tokenExpires + "; certificate key expires " + keyExpires + "]";
    }
}
