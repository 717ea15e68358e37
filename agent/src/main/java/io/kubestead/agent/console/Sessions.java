package io.kubestead.agent.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Signed-in sessions, in memory only (a restart signs everybody out). A session is found by the SHA-256 of its
 * cookie value, so a lookup's timing tells nothing about valid values. It ends after {@link Settings#idle} without
 * a request or {@link Settings#lifetime} after sign-in, whichever comes first; at most {@link Settings#max} live at
 * once (the oldest goes).
 */
public final class Sessions {
    public static final Settings DEFAULTS = new Settings(Duration.ofMinutes(30), Duration.ofHours(8), 256);

    public record Settings(Duration idle, Duration lifetime, int max) {
    }

    /**
     * A live session: who signed in, the token every change must carry, and for a password sign-in a digest of the
     * stored hash it was checked against (empty for a certificate), so a new password can end it.
     */
    public record Session(String identity, String csrf, Instant started, Instant expires, String credential) {
    }

    private static final class Entry {
        final String identity;
        final String csrf;
        final Instant started;
        final String credential;
        Instant lastSeen;

        Entry(String identity, String csrf, Instant started, String credential) {
            this.identity = identity;
            this.csrf = csrf;
            this.started = started;
            this.credential = credential;
            this.lastSeen = started;
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Entry> byDigest = new HashMap<>();

    public Sessions(Settings settings, Clock clock, SecureRandom random) {
        this.settings = settings;
        this.clock = clock;
        this.random = random;
    }

    public Duration lifetime() {
        return settings.lifetime();
    }

    /** Starts a session and returns its cookie value; {@code credential} as {@link Session#credential}. */
    public synchronized String start(String identity, String credential) {
        Instant now = clock.instant();
        expire(now);
        while (byDigest.size() >= settings.max()) {
            byDigest.entrySet().stream().min(Comparator.comparing(e -> e.getValue().lastSeen))
                    .ifPresent(e -> byDigest.remove(e.getKey()));
        }
        String value = token();
        byDigest.put(digest(value), new Entry(identity, token(), now, credential));
        return value;
    }

    /** The live session of a cookie value, which counts as activity; empty if there is none or it has ended. */
    public synchronized Optional<Session> find(String cookieValue) {
        if (cookieValue == null || cookieValue.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String key = digest(cookieValue);
        Entry e = byDigest.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (ended(e, now)) {
            byDigest.remove(key);
            return Optional.empty();
        }
        e.lastSeen = now;
        return Optional.of(new Session(e.identity, e.csrf, e.started, expires(e), e.credential));
    }

    public synchronized void end(String cookieValue) {
        if (cookieValue != null && cookieValue.length() <= 100) {
            byDigest.remove(digest(cookieValue));
        }
    }

    private boolean ended(Entry e, Instant now) {
        return !expires(e).isAfter(now);
    }

    private Instant expires(Entry e) {
        Instant idle = e.lastSeen.plus(settings.idle());
        Instant hard = e.started.plus(settings.lifetime());
        return idle.isBefore(hard) ? idle : hard;
    }

    private void expire(Instant now) {
        byDigest.values().removeIf(e -> ended(e, now));
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String digest(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
