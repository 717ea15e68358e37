package io.kubestead.agent.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Bounds password sign-ins: a token bucket per client address and one for everybody. Every attempt takes a token
 * from both before the password is hashed (so guessing costs the server no more than the rate allows); a successful
 * sign-in gives the client its bucket back. The per-client table is bounded too: when it is full, the buckets that
 * have refilled are dropped, and if none has, the attempt is refused as if the global bucket were empty.
 */
public final class SignInLimiter {
    /** The default: 5 attempts at once per client, then one every 20 s; 30 at once for all, then one every 2 s. */
    public static final Settings DEFAULTS = new Settings(5, Duration.ofSeconds(20), 30, Duration.ofSeconds(2), 10_000);

    /** Bucket sizes and refill intervals, per client and global, and how many clients are tracked at most. */
    public record Settings(int perClient, Duration clientRefill, int global, Duration globalRefill, int maxClients) {
    }

    private final Settings settings;
    private final Clock clock;
    private final Map<String, Bucket> clients = new HashMap<>();
    private final Bucket global;

    public SignInLimiter(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.global = new Bucket(settings.global(), settings.globalRefill(), clock.instant());
    }

    /** Takes one attempt for {@code client}; empty if allowed, else how long until the next one is. */
    public synchronized Optional<Duration> attempt(String client) {
        Instant now = clock.instant();
        Bucket mine = clients.get(client);
        if (mine == null) {
            if (clients.size() >= settings.maxClients()) {
                clients.values().removeIf(b -> b.full(now));
            }
            if (clients.size() >= settings.maxClients()) {
                return Optional.of(settings.globalRefill());
            }
            mine = new Bucket(settings.perClient(), settings.clientRefill(), now);
            clients.put(client, mine);
        }
        Optional<Duration> wait = mine.waitFor(now);
        if (wait.isPresent()) {
            return wait;
        }
        Optional<Duration> globalWait = global.waitFor(now);
        if (globalWait.isPresent()) {
            return globalWait;
        }
        mine.take(now);
        global.take(now);
        return Optional.empty();
    }

    /** A client that signed in gets its attempts back. */
    public synchronized void succeeded(String client) {
        clients.remove(client);
    }

    /** Tokens that refill one per interval up to the size; the state is the instant the bucket is full again. */
    private static final class Bucket {
        private final int size;
        private final Duration refill;
        private Instant fullAt;

        Bucket(int size, Duration refill, Instant now) {
            this.size = size;
            this.refill = refill;
            this.fullAt = now;
        }

        boolean full(Instant now) {
            return !fullAt.isAfter(now);
        }

        /** Empty if a token is there now, else the time until one is. */
        Optional<Duration> waitFor(Instant now) {
            Instant emptyUntil = fullAt.minus(refill.multipliedBy(size)).plus(refill);
            return emptyUntil.isAfter(now) ? Optional.of(Duration.between(now, emptyUntil)) : Optional.empty();
        }

        void take(Instant now) {
            fullAt = (fullAt.isBefore(now) ? now : fullAt).plus(refill);
        }
    }
}
