package io.kubestead.agent.join;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * {@link ClusterLock} as the Lease {@code kube-system/kubestead-control-plane-join} (coordination.k8s.io/v1).
 * Writes are optimistic: create-if-absent, and updates carry the resourceVersion read, so of two joiners racing
 * for a free or expired lease exactly one write succeeds (the other gets 409 and sees the winner). Expiry is
 * judged as renewTime + leaseDurationSeconds against this host's clock, so hosts need roughly synced clocks
 * (skew well under the ttl).
 */
public final class LeaseLock implements ClusterLock {
    public static final String NAMESPACE = "kube-system";
    public static final String NAME = "kubestead-control-plane-join";
    static final String COLLECTION = "/apis/coordination.k8s.io/v1/namespaces/" + NAMESPACE + "/leases";
    static final String PATH = COLLECTION + "/" + NAME;
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);
    private static final int WRITE_ATTEMPTS = 3;

    private final KubeApi api;
    private final Clock clock;
    private final String name;
    private final String path;
    private final ObjectMapper json = new ObjectMapper();

    public LeaseLock(KubeApi api, Clock clock) {
        this(api, clock, NAME);
    }

    /** The Lease {@code kube-system/NAME}: the same lock for another purpose (e.g. electing the node purger). */
    public LeaseLock(KubeApi api, Clock clock, String name) {
        this.api = api;
        this.clock = clock;
        this.name = name;
        this.path = COLLECTION + "/" + name;
    }

    @Override
    public Attempt tryAcquire(String holder, Duration ttl) {
        Optional<ObjectNode> current = api.get(path);
        Instant now = clock.instant();
        try {
            if (current.isEmpty()) {
                return new Attempt(true, holderOf(api.create(COLLECTION, newLease(holder, ttl, now))));
            }
            ObjectNode lease = current.get();
            Optional<Holder> existing = holderOf(lease);
            if (existing.isPresent() && !existing.get().identity().equals(holder) && !existing.get().expiredAt(now)) {
                return new Attempt(false, existing);
            }
            ObjectNode spec = spec(lease);
            boolean mine = existing.isPresent() && existing.get().identity().equals(holder);
            if (!mine) {
                spec.put("acquireTime", MICRO_TIME.format(now));
                spec.put("leaseTransitions", spec.path("leaseTransitions").asInt(0) + 1);
            }
            spec.put("holderIdentity", holder);
            spec.put("leaseDurationSeconds", seconds(ttl));
            spec.put("renewTime", MICRO_TIME.format(now));
            return new Attempt(true, holderOf(api.update(path, lease)));
        } catch (KubeApiException e) {
            if (!e.conflict()) {
                throw e;
            }
            // Another joiner wrote first; report what it wrote.
            return new Attempt(false, api.get(path).flatMap(LeaseLock::holderOf));
        }
    }

    @Override
    public void renew(String holder) {
        for (int attempt = 1; ; attempt++) {
            ObjectNode lease = api.get(path).orElseThrow(() -> new LockLostException("the lease " + name + " is gone"));
            Optional<Holder> current = holderOf(lease);
            if (current.isEmpty() || !current.get().identity().equals(holder)) {
                throw new LockLostException("lost the lease " + name + " to "
                        + current.map(Holder::identity).orElse("nobody") + " (it expired before renewal)");
            }
            spec(lease).put("renewTime", MICRO_TIME.format(clock.instant()));
            if (write(lease, attempt)) {
                return;
            }
        }
    }

    @Override
    public void release(String holder) {
        for (int attempt = 1; ; attempt++) {
            Optional<ObjectNode> lease = api.get(path);
            if (lease.isEmpty() || !holderOf(lease.get()).map(h -> h.identity().equals(holder)).orElse(false)) {
                return;
            }
            ObjectNode spec = spec(lease.get());
            spec.remove("holderIdentity"); // an empty holder means free, as client-go's leader election does
            if (write(lease.get(), attempt)) {
                return;
            }
        }
    }

    /** True when written; false on a conflict worth re-reading; throws after the last attempt. */
    private boolean write(ObjectNode lease, int attempt) {
        try {
            api.update(path, lease);
            return true;
        } catch (KubeApiException e) {
            if (e.conflict() && attempt < WRITE_ATTEMPTS) {
                return false;
            }
            throw e;
        }
    }

    private ObjectNode newLease(String holder, Duration ttl, Instant now) {
        ObjectNode lease = json.createObjectNode();
        lease.put("apiVersion", "coordination.k8s.io/v1");
        lease.put("kind", "Lease");
        lease.putObject("metadata").put("name", name).put("namespace", NAMESPACE);
        lease.putObject("spec").put("holderIdentity", holder).put("leaseDurationSeconds", seconds(ttl))
                .put("acquireTime", MICRO_TIME.format(now)).put("renewTime", MICRO_TIME.format(now))
                .put("leaseTransitions", 0);
        return lease;
    }

    static Optional<Holder> holderOf(ObjectNode lease) {
        var spec = lease.path("spec");
        String identity = spec.path("holderIdentity").asText("");
        if (identity.isEmpty()) {
            return Optional.empty();
        }
        // A lease someone wrote by hand without times counts as long expired rather than failing every joiner.
        Instant renewed = time(spec.path("renewTime").asText(""), Instant.EPOCH);
        Instant acquired = time(spec.path("acquireTime").asText(""), renewed);
        return Optional.of(new Holder(identity, acquired, renewed,
                Duration.ofSeconds(spec.path("leaseDurationSeconds").asLong(0))));
    }

    private static Instant time(String microTime, Instant fallback) {
        try {
            return microTime.isEmpty() ? fallback : Instant.parse(microTime);
        } catch (java.time.format.DateTimeParseException e) {
            return fallback;
        }
    }

    private static ObjectNode spec(ObjectNode lease) {
        return lease.get("spec") instanceof ObjectNode spec ? spec : lease.putObject("spec");
    }

    private static int seconds(Duration ttl) {
        return (int) Math.max(1, (ttl.toMillis() + 999) / 1000);
    }
}
