package io.kubestead.agent.controlplane;

import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.EtcdLock;
import io.kubestead.agent.etcd.EtcdMember;
import io.kubestead.agent.pki.ExpiryReport;
import io.kubestead.agent.pki.FileOutcome;
import io.kubestead.agent.pki.Pem;
import io.kubestead.agent.pki.Renewal;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Renews this master's certificates and restarts the components that read them, one master of the cluster at a
 * time: the masters take turns through a lock in etcd (which stays up throughout), and a master gives the lock up
 * only after its API server answers /readyz again with the new certificate, so the next one restarts only then and
 * the balancer always has a ready API server. Before stopping its API server a master also waits until another
 * master's API server has been ready long enough for every balancer to count it up. etcd is not restarted: it reads
 * its certificate files again on every new connection.
 */
public final class RollingRenewal {
    public static final String LOCK_KEY = "/kubestead/locks/control-plane-restart";
    /** Certificates closer than this to their end are renewed by the daily check. */
    public static final Duration DUE = Duration.ofDays(30);
    static final Duration LOCK_TTL = Duration.ofSeconds(60);
    /**
     * Looks, a second apart, that another master's API server must answer ready in a row before this one stops:
     * a master that just came back is ready at once, but every node's HAProxy marks it up only after two good
     * checks a second apart (rise 2, inter 1s); stopping ours before that left a balancer with no server up, and
     * a request failed in the handshake.
     */
    static final int SETTLE_LOOKS = 4;

    /** What a run did. */
    public record Outcome(List<String> renewed, List<String> restarted, Duration waitedForLock) {
    }

    /** How long each step may take. */
    public record Patience(Duration lock, Duration component, Duration otherMaster) {
        public static final Patience DEFAULT = new Patience(Duration.ofMinutes(30), Duration.ofMinutes(3), Duration.ofMinutes(5));
    }

    private final LocalControlPlane cp;
    private final Renewal renewal;
    private final Clock clock;
    private final StaticPods.Pause pause;
    private final Consumer<String> progress;
    private final Patience patience;

    public RollingRenewal(LocalControlPlane cp, Renewal renewal, Clock clock, StaticPods.Pause pause,
                          Consumer<String> progress, Patience patience) {
        this.cp = cp;
        this.renewal = renewal;
        this.clock = clock;
        this.pause = pause;
        this.progress = progress;
        this.patience = patience;
    }

    /** The certificates (kubeconfigs included) this master can renew that end within {@link #DUE}. */
    public static List<String> due(io.kubestead.agent.host.Host host, Instant now) {
        return ExpiryReport.read(host, now).certificates().stream()
                .filter(r -> !r.missing() && !r.externallyManaged() && r.residualSeconds() < DUE.toSeconds())
                .map(ExpiryReport.Row::name).toList();
    }

    /** The components that read a certificate: etcd's own re-reads them, admin kubeconfigs are read by people. */
    static Set<String> readers(String cert) {
        return switch (cert) {
            case "all" -> Set.of(LocalControlPlane.API_SERVER, LocalControlPlane.CONTROLLER_MANAGER, LocalControlPlane.SCHEDULER);
            case "apiserver", "apiserver-etcd-client", "apiserver-kubelet-client", "front-proxy-client" ->
                    Set.of(LocalControlPlane.API_SERVER);
            case "controller-manager.conf" -> Set.of(LocalControlPlane.CONTROLLER_MANAGER);
            case "scheduler.conf" -> Set.of(LocalControlPlane.SCHEDULER);
            default -> Set.of();
        };
    }

    public Outcome run(List<String> names, Duration validity) throws InterruptedException {
        if (names.isEmpty()) {
            return new Outcome(List.of(), List.of(), Duration.ZERO);
        }
        Set<String> restart = new LinkedHashSet<>();
        for (String c : List.of(LocalControlPlane.API_SERVER, LocalControlPlane.CONTROLLER_MANAGER, LocalControlPlane.SCHEDULER)) {
            if (names.stream().anyMatch(n -> readers(n).contains(c))) {
                restart.add(c);
            }
        }
        new StaticPods(cp.host(), clock, pause, progress).recover();
        EtcdClient etcd = cp.etcd(Duration.ofSeconds(5));
        String me = cp.etcdName();
        Instant asked = clock.instant();
        try (EtcdLock lock = acquire(etcd, me)) {
            Duration waited = Duration.between(asked, clock.instant());
            List<String> renewed = new ArrayList<>();
            Instant now = clock.instant();
            for (String name : names) {
                for (FileOutcome f : renewal.renew(cp.host(), name, now, validity)) {
                    renewed.add(f.path());
                    progress.accept("renewed " + f.path());
                }
            }
            List<String> restarted = new ArrayList<>();
            for (String component : restart) {
                if (component.equals(LocalControlPlane.API_SERVER)) {
                    awaitAnotherApiServer(etcd, me);
                }
                restartOne(component);
                restarted.add(component);
            }
            return new Outcome(renewed, restarted, waited);
        }
    }

    private EtcdLock acquire(EtcdClient etcd, String me) throws InterruptedException {
        Instant deadline = clock.instant().plus(patience.lock());
        String told = null;
        while (true) {
            String[] holder = new String[1];
            Optional<EtcdLock> lock = EtcdLock.tryAcquire(etcd, LOCK_KEY, me, LOCK_TTL, h -> holder[0] = h);
            if (lock.isPresent()) {
                return lock.get();
            }
            if (!holder[0].equals(told)) {
                progress.accept("waiting for " + holder[0] + " to finish restarting its control plane");
                told = holder[0];
            }
            if (clock.instant().isAfter(deadline)) {
                throw new IllegalStateException(holder[0] + " still holds the control-plane restart lock after "
                        + patience.lock().toMinutes() + " min (etcd key " + LOCK_KEY + "); nothing was renewed");
            }
            pause.pause(Duration.ofSeconds(1));
        }
    }

    /** With other masters, one of their API servers must be ready before ours stops, or the balancer has none. */
    private void awaitAnotherApiServer(EtcdClient etcd, String me) throws InterruptedException {
        int port = cp.apiServerUrl().getPort();
        List<URI> others = new ArrayList<>();
        for (EtcdMember m : etcd.members()) {
            if (!m.name().equals(me) && !m.peerUrls().isEmpty()) {
                others.add(LocalControlPlane.apiServerAt(URI.create(m.peerUrls().get(0)).getHost().replaceAll("^\\[|\\]$", ""), port));
            }
        }
        if (others.isEmpty()) {
            progress.accept("this is the only master: its API server is unavailable while it restarts");
            return;
        }
        Instant deadline = clock.instant().plus(patience.otherMaster());
        java.util.Map<URI, Integer> readyLooks = new java.util.HashMap<>();
        while (true) {
            for (URI other : others) {
                boolean ready = cp.apiServerProbe(other).look().state() == Probe.State.READY;
                int looks = ready ? readyLooks.getOrDefault(other, 0) + 1 : 0;
                readyLooks.put(other, looks);
                if (looks >= SETTLE_LOOKS) {
                    return;
                }
            }
            if (clock.instant().isAfter(deadline)) {
                throw new IllegalStateException("no other master's API server is ready (" + others
                        + "): restarting this one would leave the balancer none; the certificates are renewed, restart later");
            }
            pause.pause(Duration.ofSeconds(1));
        }
    }

    private void restartOne(String component) throws InterruptedException {
        StaticPods pods = new StaticPods(cp.host(), clock, pause, progress);
        Probe probe = cp.probe(component);
        pods.stop(component, probe, patience.component());
        Optional<X509Certificate> expected = component.equals(LocalControlPlane.API_SERVER)
                ? Optional.of(servingCert()) : Optional.empty();
        Probe.Seen seen = pods.start(component, probe, patience.component(),
                s -> StaticPods.READY.test(s) && (expected.isEmpty() || s.served().map(c -> c.equals(expected.get())).orElse(false)));
        progress.accept(component + " is ready again (" + probe.describe() + ": " + seen.detail() + ")");
    }

    private X509Certificate servingCert() {
        String path = cp.manifest(LocalControlPlane.API_SERVER).flag("tls-cert-file").orElse("/etc/kubernetes/pki/apiserver.crt");
        try {
            return Pem.certificate(cp.host().readFile(path).orElseThrow());
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException(path + " is not a certificate: " + e.getMessage());
        }
    }
}
