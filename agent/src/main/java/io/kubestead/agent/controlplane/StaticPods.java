package io.kubestead.agent.controlplane;

import io.kubestead.agent.host.Host;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Stops and starts this master's static pods the kubeadm way: the kubelet runs what is in the manifests directory,
 * so a manifest moved out stops its pod and moved back starts a new one. Each step waits until the component is
 * seen gone (nothing listens) or seen ready, so the caller knows the new process, not the old, is serving.
 * A manifest left in {@link #PAUSED} by a killed run is put back by {@link #recover()}.
 */
public final class StaticPods {
    public static final String MANIFESTS = "/etc/kubernetes/manifests";
    public static final String PAUSED = "/etc/kubernetes/kubestead-paused";

    /** Waiting between looks at a component; injected so that tests of the logic need not sleep. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    /** Answers ready. */
    public static final Predicate<Probe.Seen> READY = s -> s.state() == Probe.State.READY;
    /** Answers at all (an etcd learner is not ready until promoted). */
    public static final Predicate<Probe.Seen> ANSWERING = s -> s.state() != Probe.State.DOWN;

    private final Host host;
    private final Clock clock;
    private final Pause pause;
    private final Consumer<String> progress;

    public StaticPods(Host host, Clock clock, Pause pause, Consumer<String> progress) {
        this.host = host;
        this.clock = clock;
        this.pause = pause;
        this.progress = progress;
    }

    public static String manifest(String component) {
        return MANIFESTS + "/" + component + ".yaml";
    }

    static String paused(String component) {
        return PAUSED + "/" + component + ".yaml";
    }

    /** Moves the manifest out and waits until nothing listens where the component served. */
    public void stop(String component, Probe probe, Duration patience) throws InterruptedException {
        if (host.exists(manifest(component))) {
            host.mkdirs(PAUSED, 0700);
            host.move(manifest(component), paused(component));
        } else if (!host.exists(paused(component))) {
            throw new IllegalStateException("no static pod manifest " + manifest(component) + " on this master");
        }
        progress.accept("stopping " + component + " (its manifest is in " + PAUSED + ")");
        // twice in a row: a restarting process must not be taken for a stopped one
        await(component, probe, patience, s -> s.state() == Probe.State.DOWN, 2, "to stop");
    }

    /** Moves the manifest back and waits until what the probe sees is {@code done} (e.g. {@link #READY}). */
    public Probe.Seen start(String component, Probe probe, Duration patience, Predicate<Probe.Seen> done)
            throws InterruptedException {
        if (host.exists(paused(component))) {
            host.move(paused(component), manifest(component));
        }
        progress.accept("starting " + component);
        return await(component, probe, patience, done, 1, "up");
    }

    /** Puts back every manifest an interrupted run left paused; returns the components it started again. */
    public List<String> recover() {
        List<String> back = host.list(PAUSED).stream().filter(n -> n.endsWith(".yaml"))
                .map(n -> n.substring(0, n.length() - 5)).toList();
        for (String c : back) {
            if (!host.exists(manifest(c))) {
                host.move(paused(c), manifest(c));
                progress.accept("put back the manifest of " + c + " that an interrupted run left in " + PAUSED);
            } else {
                host.delete(paused(c));
            }
        }
        return back;
    }

    private Probe.Seen await(String component, Probe probe, Duration patience, Predicate<Probe.Seen> wanted, int times,
                             String what) throws InterruptedException {
        Instant deadline = clock.instant().plus(patience);
        int inRow = 0;
        Probe.Seen last;
        while (true) {
            last = probe.look();
            inRow = wanted.test(last) ? inRow + 1 : 0;
            if (inRow >= times) {
                return last;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new IllegalStateException(component + " did not come " + what + " within " + patience.toSeconds()
                        + " s (" + probe.describe() + ": " + last.state() + ", " + last.detail() + ")");
            }
            pause.pause(Duration.ofMillis(250));
        }
    }
}
