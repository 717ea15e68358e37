package io.kubestead.agent.console;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.host.HostException;
import io.kubestead.agent.host.RunLog;
import io.kubestead.agent.nodeadd.HostResult;
import io.kubestead.agent.nodeadd.JoinMaterial;
import io.kubestead.agent.nodeadd.NodeAddListener;
import io.kubestead.agent.nodeadd.NodeAddReport;
import io.kubestead.agent.nodeadd.NodeAddRequest;
import io.kubestead.agent.nodeadd.NodeAdder;
import io.kubestead.agent.ssh.HostKeyCheck;
import io.kubestead.agent.ssh.KnownHostsFile;
import io.kubestead.agent.ssh.SshClient;
import io.kubestead.agent.ssh.SshCredentials;
import io.kubestead.agent.ssh.SshException;
import io.kubestead.agent.ssh.SshTarget;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Adding hosts over SSH from the console: one job at a time, run by {@link NodeAdder} as {@code kubestead node add}
 * runs it. A job first looks at every host's key without logging in; keys the known hosts file does not hold wait
 * for the operator to confirm their fingerprints on the page (the fingerprint sent back must be the one the host
 * showed, and the add accepts only that key), a changed key is refused with the CLI's line. Only then are join
 * secrets issued and the hosts added. A password given for the hosts lives in the job until it ends, then is wiped.
 * Progress lines are kept up to {@link #MAX_LINES} (the oldest dropped), each cut at {@link #MAX_LINE} characters; a
 * finished job is forgotten after {@link Settings#keep}.
 */
public final class SshAdds {
    public static final int MAX_HOSTS = 32;
    static final int MAX_LINES = 2000;
    static final int MAX_LINE = 1000;
    /** Hosts whose keys are looked at at once. */
    static final int SCANS = 8;

    /**
     * How jobs run: the known hosts file the console keeps (root's), the private keys it logs in with, how long a
     * connection may take, how long unconfirmed keys are waited for, how long a finished job is kept, and extra
     * words for a host's install.sh (tests give each host its own dry-run directory).
     */
    public record Settings(Path knownHosts, List<Path> identities, Duration connectTimeout, int parallel,
            Duration confirmWait, Duration keep, Function<SshTarget, List<String>> extraWords) {
        public Settings {
            identities = List.copyOf(identities);
        }

        public static Settings defaults(Path knownHosts, List<Path> identities) {
            return new Settings(knownHosts, identities, Duration.ofSeconds(15), 4, Duration.ofMinutes(10),
                    Duration.ofMinutes(30), t -> List.of());
        }
    }

    /** Join material for a new master or worker (fresh secrets); throws {@link JoinOffers.Refused} when it cannot. */
    @FunctionalInterface
    public interface Materials {
        JoinMaterial issue(boolean master);
    }

    /** A request the console refuses as it stands; the message says why. */
    public static final class Refused extends RuntimeException {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public enum State {
        CHECKING, CONFIRM, RUNNING, DONE;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Settings settings;
    private final Optional<String> unavailable;
    private final Materials materials;
    private final Host runLogHost;
    private final Clock clock;
    private final SecureRandom random;
    private final PrintWriter log;
    private Job current;

    /**
     * @param unavailable why the console cannot add hosts over SSH here (then every start is refused with it)
     * @param runLogHost where each job's run log goes (/var/log/kubestead), or null for none
     */
    public SshAdds(Settings settings, Optional<String> unavailable, Materials materials, Host runLogHost, Clock clock,
            SecureRandom random, PrintWriter log) {
        this.settings = settings;
        this.unavailable = unavailable;
        this.materials = materials;
        this.runLogHost = runLogHost;
        this.clock = clock;
        this.random = random;
        this.log = log;
    }

    /** Refuses every add with {@code why}. */
    public static SshAdds off(String why, Clock clock) {
        return new SshAdds(Settings.defaults(Path.of("/nonexistent"), List.of()), Optional.of(why), m -> {
            throw new JoinOffers.Refused(why);
        }, null, clock, new SecureRandom(), new PrintWriter(java.io.Writer.nullWriter()));
    }

    /** What the page shows before an add: whether it can, and with which keys and known hosts file. */
    public Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("available", unavailable.isEmpty());
        m.put("reason", unavailable.orElse(null));
        m.put("identities", settings.identities().stream().map(Path::toString).toList());
        m.put("knownHosts", settings.knownHosts().toString());
        return m;
    }

    /** Starts a job; {@code password} (may be null) becomes the job's and is wiped when it ends. */
    public synchronized Job start(List<SshTarget> hosts, boolean master, char[] password, String who) {
        if (unavailable.isPresent()) {
            throw new Refused(409, unavailable.get());
        }
        if (hosts.isEmpty() || hosts.size() > MAX_HOSTS) {
            throw new Refused(400, "give 1 to " + MAX_HOSTS + " hosts");
        }
        if (settings.identities().isEmpty() && (password == null || password.length == 0)) {
            throw new Refused(400, "the console has no SSH key (" + settings.identities() + "): type the hosts' password");
        }
        expire();
        if (current != null && current.state() != State.DONE) {
            throw new Refused(409, "another add is under way (job " + current.id + "): wait for it to end");
        }
        byte[] id = new byte[12];
        random.nextBytes(id);
        Job job = new Job(HexFormat.of().formatHex(id), List.copyOf(hosts), master, password);
        current = job;
        log.println("console: " + who + " adds " + hosts.size() + (master ? " master" : " worker")
                + (hosts.size() == 1 ? "" : "s") + " over SSH (job " + job.id + ")");
        log.flush();
        Thread t = new Thread(job::run, "console-ssh-add");
        t.setDaemon(true);
        t.start();
        return job;
    }

    public synchronized Optional<Job> find(String id) {
        expire();
        return Optional.ofNullable(current).filter(j -> j.id.equals(id));
    }

    private void expire() {
        if (current != null && current.endedAt != null && !clock.instant().isBefore(current.endedAt.plus(settings.keep()))) {
            current = null;
        }
    }

    /** One add: its state, progress lines and results, read by the page's polls. */
    public final class Job {
        final String id;
        private final List<SshTarget> hosts;
        private final boolean master;
        private char[] password;
        private final ArrayDeque<String> lines = new ArrayDeque<>();
        private long dropped;
        private State state = State.CHECKING;
        /** Known-hosts name to the key shown, for the keys that wait for a confirmation. */
        private final Map<String, HostKeyCheck> pending = new LinkedHashMap<>();
        private final Map<String, String> confirmed = new LinkedHashMap<>();
        private boolean answered;
        private Instant confirmBy;
        private List<HostResult> results;
        private String failure;
        private volatile Instant endedAt;

        Job(String id, List<SshTarget> hosts, boolean master, char[] password) {
            this.id = id;
            this.hosts = hosts;
            this.master = master;
            this.password = password == null || password.length == 0 ? null : password;
        }

        public String id() {
            return id;
        }

        public synchronized State state() {
            return state;
        }

        /**
         * The operator's answer: known-hosts name to the fingerprint accepted. Each must be a key this job waits
         * for with exactly that fingerprint, or nothing is accepted; keys not named are refused.
         */
        public synchronized void confirm(Map<String, String> keys) {
            if (state != State.CONFIRM) {
                throw new Refused(409, "this add is not waiting for host keys");
            }
            for (Map.Entry<String, String> e : keys.entrySet()) {
                HostKeyCheck shown = pending.get(e.getKey());
                if (shown == null) {
                    throw new Refused(400, "no new host key waits for " + e.getKey());
                }
                if (!shown.fingerprint().equals(e.getValue())) {
                    throw new Refused(409, e.getKey() + ": the fingerprint confirmed is not the host's key ("
                            + shown.type() + " " + shown.fingerprint() + "): nothing accepted");
                }
            }
            confirmed.putAll(keys);
            answered = true;
            notifyAll();
        }

        /** The state, the lines from {@code since} on, the keys to confirm and, at the end, the results. */
        public synchronized Map<String, Object> view(long since) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("job", id);
            m.put("state", state.word());
            m.put("role", master ? "master" : "worker");
            long first = Math.max(since, dropped);
            List<String> from = lines.stream().skip(Math.max(0, first - dropped)).toList();
            m.put("from", first);
            m.put("lines", from);
            m.put("next", dropped + lines.size());
            List<Map<String, String>> keys = new ArrayList<>();
            if (state == State.CONFIRM) {
                pending.forEach((name, k) -> keys.add(Map.of("host", name, "type", k.type(), "fingerprint", k.fingerprint())));
                m.put("confirmBy", confirmBy.toString());
            }
            m.put("confirm", keys);
            if (results != null) {
                List<Map<String, Object>> rs = new ArrayList<>();
                for (HostResult r : results) {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("host", r.target().toString());
                    x.put("role", r.role());
                    x.put("result", r.outcome().word());
                    x.put("joined", r.joined());
                    x.put("seconds", r.took().toSeconds());
                    x.put("detail", r.detail());
                    rs.add(x);
                }
                m.put("results", rs);
                m.put("allJoined", results.stream().allMatch(HostResult::joined));
            }
            m.put("error", failure);
            return m;
        }

        private synchronized void line(String text) {
            lines.addLast(text.length() > MAX_LINE ? text.substring(0, MAX_LINE) + " [cut]" : text);
            while (lines.size() > MAX_LINES) {
                lines.removeFirst();
                dropped++;
            }
        }

        private synchronized void state(State s) {
            state = s;
        }

        void run() {
            RunLog runLog = null;
            try {
                if (runLogHost != null) {
                    try {
                        runLog = RunLog.create(runLogHost, "node-add", clock.instant());
                        line("Run log: " + runLog.file());
                    } catch (HostException e) {
                        line("WARNING: " + e.getMessage() + "; this add is not logged");
                    }
                }
                RunLog logged = runLog;
                NodeAddListener listener = new NodeAddListener() {
                    @Override
                    public void line(SshTarget h, String text) {
                        String l = "[" + h.label() + "] " + text;
                        Job.this.line(l);
                        if (logged != null) {
                            logged.line(l);
                        }
                    }

                    @Override
                    public void finished(HostResult r) {
                        line(r.target(), r.outcome().word() + " after " + r.took().toSeconds() + " s");
                    }
                };
                List<HostResult> done = add(listener);
                synchronized (this) {
                    results = done;
                }
                if (runLog != null) {
                    runLog.line(NodeAddReport.table(done));
                }
                long joined = done.stream().filter(HostResult::joined).count();
                line(joined + " of " + done.size() + (done.size() == 1 ? " host" : " hosts") + " joined");
            } catch (RuntimeException e) {
                String why = e instanceof JoinOffers.Refused ? e.getMessage() : "the add failed: " + e;
                synchronized (this) {
                    failure = why;
                }
                line(why);
                if (runLog != null) {
                    runLog.line(why);
                }
            } finally {
                if (runLog != null) {
                    runLog.close();
                }
                synchronized (this) {
                    if (password != null) {
                        Arrays.fill(password, '\0');
                        password = null;
                    }
                    state = State.DONE;
                    endedAt = clock.instant();
                }
                log.println("console: SSH add job " + id + " ended");
                log.flush();
            }
        }

        private List<HostResult> add(NodeAddListener listener) {
            String role = master ? "master" : "worker";
            line("Looking at the host keys of " + hosts.size() + (hosts.size() == 1 ? " host" : " hosts")
                    + " (known hosts: " + settings.knownHosts() + ")");
            Map<SshTarget, HostKeyCheck> seen = scan(listener);
            synchronized (this) {
                seen.forEach((t, k) -> {
                    if (k.result() == HostKeyCheck.Result.REFUSED) {
                        pending.put(k.host(), k);
                    }
                });
                if (!pending.isEmpty()) {
                    confirmBy = clock.instant().plus(settings.confirmWait());
                    state = State.CONFIRM;
                    long end = System.nanoTime() + settings.confirmWait().toNanos();
                    while (!answered && System.nanoTime() < end) {
                        try {
                            wait(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                }
                state = State.RUNNING;
            }
            // hosts whose new key was not confirmed, or whose key changed, are not logged in to
            List<SshTarget> go = new ArrayList<>();
            Map<SshTarget, HostResult> declined = new LinkedHashMap<>();
            for (SshTarget t : hosts) {
                HostKeyCheck k = seen.get(t);
                String accepted;
                synchronized (this) {
                    accepted = k == null ? null : confirmed.get(k.host());
                }
                boolean unconfirmed = k != null && k.result() == HostKeyCheck.Result.REFUSED && accepted == null;
                if (unconfirmed || (k != null && k.result() == HostKeyCheck.Result.CHANGED)) {
                    String why = unconfirmed ? k.host() + ": new host key " + k.type() + " " + k.fingerprint()
                            + " not confirmed on the page: nothing done there" : k.message();
                    HostResult r = new HostResult(t, role, HostResult.Outcome.HOST_KEY_REFUSED, -1, why, Duration.ZERO);
                    listener.line(t, r.detail());
                    listener.finished(r);
                    declined.put(t, r);
                } else {
                    go.add(t);
                }
            }
            List<HostResult> added = List.of();
            if (!go.isEmpty()) {
                JoinMaterial material = materials.issue(master);
                line("Join secrets issued; adding " + go.size() + " " + role + (go.size() == 1 ? "" : "s"));
                Map<String, String> accept;
                synchronized (this) {
                    accept = Map.copyOf(confirmed);
                }
                // only the key the operator saw is accepted (and recorded): one swapped since is refused
                Map<String, String> swapped = new java.util.concurrent.ConcurrentHashMap<>();
                KnownHostsFile known = new KnownHostsFile(settings.knownHosts(), (h, type, fp) -> {
                    if (fp.equals(accept.get(h))) {
                        return true;
                    }
                    if (accept.containsKey(h)) {
                        swapped.put(h, type + " " + fp);
                    }
                    return false;
                });
                SshClient client = new SshClient(known, new SshCredentials(settings.identities(), secrets()),
                        settings.connectTimeout());
                added = new NodeAdder(client, clock).add(new NodeAddRequest(go, material, settings.parallel(),
                        settings.extraWords()), listener).stream().map(r -> {
                            String now = swapped.get(r.target().knownHostsName());
                            if (now == null || r.outcome() != HostResult.Outcome.HOST_KEY_REFUSED) {
                                return r;
                            }
                            String why = r.target().knownHostsName() + ": the host now shows " + now + ", not the key"
                                    + " confirmed (" + accept.get(r.target().knownHostsName()) + "): refused; check the"
                                    + " host before you add it again";
                            listener.line(r.target(), why);
                            return new HostResult(r.target(), r.role(), r.outcome(), r.exitCode(), why, r.took());
                        }).toList();
            }
            List<HostResult> all = new ArrayList<>();
            var it = added.iterator();
            for (SshTarget t : hosts) {
                all.add(declined.containsKey(t) ? declined.get(t) : it.next());
            }
            return all;
        }

        /** Every host's key, looked at a few at a time; an unreachable host is left to the add to report. */
        private Map<SshTarget, HostKeyCheck> scan(NodeAddListener listener) {
            SshClient looker = new SshClient(new KnownHostsFile(settings.knownHosts(), (h, t, f) -> false),
                    new SshCredentials(List.of(), SshCredentials.Secrets.NONE), settings.connectTimeout());
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(SCANS, hosts.size()), r -> {
                Thread t = new Thread(r, "console-ssh-scan");
                t.setDaemon(true);
                return t;
            });
            try {
                Map<SshTarget, Future<Optional<HostKeyCheck>>> futures = new LinkedHashMap<>();
                for (SshTarget t : hosts) {
                    futures.put(t, pool.submit(() -> {
                        try {
                            HostKeyCheck k = looker.hostKey(t);
                            listener.line(t, switch (k.result()) {
                                case KNOWN, ACCEPTED -> k.message();
                                case REFUSED -> k.host() + ": new host key " + k.type() + " " + k.fingerprint()
                                        + ": compare it with 'ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub' on the host"
                                        + " and confirm it here";
                                case CHANGED -> k.message();
                            });
                            return Optional.of(k);
                        } catch (SshException e) {
                            return Optional.<HostKeyCheck>empty();
                        }
                    }));
                }
                Map<SshTarget, HostKeyCheck> seen = new LinkedHashMap<>();
                for (Map.Entry<SshTarget, Future<Optional<HostKeyCheck>>> e : futures.entrySet()) {
                    try {
                        e.getValue().get().ifPresent(k -> seen.put(e.getKey(), k));
                    } catch (java.util.concurrent.ExecutionException | InterruptedException x) {
                        if (x instanceof InterruptedException) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
                return seen;
            } finally {
                pool.shutdownNow();
            }
        }

        /** The password for the login and for sudo: a copy each time, for the caller to wipe. */
        private SshCredentials.Secrets secrets() {
            return new SshCredentials.Secrets() {
                @Override
                public Optional<char[]> password(SshTarget target) {
                    synchronized (Job.this) {
                        return password == null ? Optional.empty() : Optional.of(password.clone());
                    }
                }

                @Override
                public Optional<char[]> passphrase(Path identity) {
                    return Optional.empty();
                }
            };
        }
    }
}
