package io.kubestead.agent.nodeadd;

import io.kubestead.agent.ssh.SshClient;
import io.kubestead.agent.ssh.SshConnection;
import io.kubestead.agent.ssh.SshException;
import io.kubestead.agent.ssh.SshTarget;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Adds hosts over SSH: on each, in a fresh private directory, install.sh, the agent bundle when it is copied, and
 * the secrets file (0600); then install.sh's join as root (sudo when the login is not root) with the secrets file
 * named by a word, so no secret is on a command line; the directory is removed at the end, the secrets file as
 * soon as install.sh ends. A host's failure is its result; it stops no other host.
 */
public final class NodeAdder {
    static final String SECRETS = "join-secrets";
    private static final Pattern REMOTE_DIR = Pattern.compile("/tmp/kubestead-node-add\\.[A-Za-z0-9]{10}");

    private final SshClient ssh;
    private final Clock clock;

    public NodeAdder(SshClient ssh, Clock clock) {
        this.ssh = ssh;
        this.clock = clock;
    }

    /** Every host's result, in the order the hosts were given. */
    public List<HostResult> add(NodeAddRequest request, NodeAddListener listener) {
        int threads = request.material().master() ? 1 : Math.min(request.parallel(), request.hosts().size());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "node-add");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<HostResult>> futures = new ArrayList<>();
            for (SshTarget host : request.hosts()) {
                futures.add(pool.submit(() -> {
                    HostResult r = addOne(host, request, listener);
                    listener.finished(r);
                    return r;
                }));
            }
            List<HostResult> results = new ArrayList<>();
            for (Future<HostResult> f : futures) {
                results.add(get(f));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static HostResult get(Future<HostResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hosts were being added", e);
        } catch (ExecutionException e) {
            // addOne turns every failure into a result; this is a bug, not a host's failure
            throw new IllegalStateException(e.getCause());
        }
    }

    private HostResult addOne(SshTarget host, NodeAddRequest request, NodeAddListener listener) {
        JoinMaterial m = request.material();
        String role = m.master() ? "master" : "worker";
        Instant start = clock.instant();
        List<String> secrets = m.secretValues();
        Consumer<String> out = line -> listener.line(host, mask(line, secrets));
        try (SshConnection c = ssh.connect(host)) {
            out.accept(c.hostKey().message());
            SshConnection.Output made = c.capture("mktemp -d /tmp/kubestead-node-add.XXXXXXXXXX");
            String dir = made.text().strip();
            if (!REMOTE_DIR.matcher(dir).matches()) {
                return result(host, role, HostResult.Outcome.ERROR, -1, host.label() + ": mktemp -d on the host gave no"
                        + " directory in /tmp (" + first(made.text() + made.errors()) + ")", start, out);
            }
            try {
                return join(c, dir, request, role, start, out);
            } finally {
                removeQuietly(c, dir, out);
            }
        } catch (SshException e) {
            HostResult.Outcome o = switch (e.kind()) {
                case UNREACHABLE -> HostResult.Outcome.UNREACHABLE;
                case HOST_KEY -> HostResult.Outcome.HOST_KEY_REFUSED;
                case AUTHENTICATION -> HostResult.Outcome.LOGIN_FAILED;
                case BROKEN -> HostResult.Outcome.ERROR;
            };
            return result(host, role, o, -1, e.getMessage(), start, out);
        } catch (RuntimeException e) {
            return result(host, role, HostResult.Outcome.ERROR, -1, host.label() + ": " + e, start, out);
        }
    }

    private HostResult join(SshConnection c, String dir, NodeAddRequest request, String role, Instant start,
            Consumer<String> out) throws SshException {
        JoinMaterial m = request.material();
        SshTarget host = c.target();
        c.upload(m.installScript(), dir + "/install.sh", 0755);
        for (Path f : m.bundleFiles()) {
            c.upload(f, dir + "/" + f.getFileName(), 0644);
        }
        c.upload(m.secrets().getBytes(StandardCharsets.UTF_8), dir + "/" + SECRETS, 0600);
        out.accept("copied install.sh" + (m.bundleFiles().isEmpty() ? "" : " and " + m.bundleFiles().stream()
                .map(p -> p.getFileName().toString()).toList()) + " and the secrets file (0600) to " + dir);
        List<String> words = new ArrayList<>(m.words());
        words.addAll(request.extraWords().apply(host));
        words.add("secrets-file=" + dir + "/" + SECRETS);
        String prefix = "";
        InputStream stdin = InputStream.nullInputStream();
        char[] password = null;
        if (!c.capture("id -u").text().strip().equals("0")) {
            if (c.capture("command -v sudo").status() != 0) {
                return result(host, role, HostResult.Outcome.ERROR, -1, host.label() + ": " + host.user()
                        + " is not root and sudo is missing: log in as root, or install sudo there", start, out);
            }
            if (c.capture("sudo -n true").status() == 0) {
                prefix = "sudo -n ";
            } else {
                Optional<char[]> pw = ssh.credentials().secrets().password(host);
                if (pw.isEmpty()) {
                    return result(host, role, HostResult.Outcome.LOGIN_FAILED, -1, host.label() + ": sudo asks "
                            + host.user() + "'s password and there is no terminal to ask it at", start, out);
                }
                password = pw.get();
                prefix = "sudo -S -p '' ";
                stdin = SshConnection.secretLine(password);
            }
        }
        String env = m.downloadUrl().map(u -> "env KUBESTEAD_URL=" + SshConnection.quote(u) + " ").orElse("");
        StringBuilder cmd = new StringBuilder("d=" + SshConnection.quote(dir) + "; trap 'rm -f \"$d/" + SECRETS
                + "\"' EXIT HUP INT TERM; cd \"$d\" && " + prefix + env + "bash \"$d/install.sh\"");
        words.forEach(w -> cmd.append(' ').append(SshConnection.quote(w)));
        out.accept("running " + (prefix.isEmpty() ? "" : "sudo ") + "bash install.sh " + String.join(" ", words));
        int status;
        try {
            status = c.run(cmd.toString(), stdin, out);
        } finally {
            if (password != null) {
                java.util.Arrays.fill(password, '\0');
            }
        }
        if (status == 0) {
            return result(host, role, HostResult.Outcome.JOINED, 0, c.hostKey().message(), start, out);
        }
        return result(host, role, HostResult.Outcome.JOIN_FAILED, status, host.label() + ": the join exited with status "
                + status + " (its output is above and in the run log)", start, out);
    }

    /** The directory goes with the session; a session that broke is reported, without hiding the host's result. */
    private static void removeQuietly(SshConnection c, String dir, Consumer<String> out) {
        try {
            if (c.capture("rm -rf -- " + SshConnection.quote(dir)).status() != 0) {
                out.accept("could not remove " + dir + " on the host: remove it by hand (it may hold the join secrets)");
            }
        } catch (SshException e) {
            out.accept("could not remove " + dir + " on the host (" + e.getMessage() + "): remove it by hand");
        }
    }

    private HostResult result(SshTarget host, String role, HostResult.Outcome outcome, int exit, String detail,
            Instant start, Consumer<String> out) {
        if (outcome != HostResult.Outcome.JOINED) {
            out.accept(detail);
        }
        return new HostResult(host, role, outcome, exit, detail, Duration.between(start, clock.instant()));
    }

    private static String first(String s) {
        String line = s.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    static String mask(String line, List<String> secrets) {
        String s = line;
        for (String v : secrets) {
            if (v.length() >= 6) {
                s = s.replace(v, "***");
            }
        }
        return s;
    }
}
