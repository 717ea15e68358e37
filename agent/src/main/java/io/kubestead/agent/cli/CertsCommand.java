package io.kubestead.agent.cli;

import io.kubestead.agent.controlplane.LocalControlPlane;
import io.kubestead.agent.controlplane.RollingRenewal;
import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.HostLock;
import io.kubestead.agent.host.ProcessRunner;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.pki.CaHash;
import io.kubestead.agent.pki.CaKind;
import io.kubestead.agent.pki.CertIssuer;
import io.kubestead.agent.pki.ExpiryReport;
import io.kubestead.agent.pki.KeyPool;
import io.kubestead.agent.pki.Pem;
import io.kubestead.agent.pki.PkiPaths;
import io.kubestead.agent.pki.Renewal;
import io.kubestead.agent.spec.SpecException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kubestead certs}: check-expiration, renew and ca-hash, on the host or on a dry-run tree. */
@Command(name = "certs", mixinStandardHelpOptions = true, description = "Inspect and renew the cluster's certificates.",
        subcommands = {CertsCommand.CheckExpiration.class, CertsCommand.Renew.class, CertsCommand.CaHashCmd.class})
public final class CertsCommand implements Callable<Integer> {
    final PrintWriter out;
    final PrintWriter err;
    /** How long renew waits for the host lock; asked only by renew, so a bad setting fails only that. */
    final java.util.function.Supplier<Duration> lockPatience;
    /** The host behind --root / (the machine itself, or a test's); other roots are plain trees. */
    final java.util.function.Function<ActionLog, io.kubestead.agent.host.Host> realHost;
    final java.time.Clock clock;

    public CertsCommand(PrintWriter out, PrintWriter err) {
        this(out, err, () -> HostSession.PATIENCE, RootedHost::local, java.time.Clock.systemUTC());
    }

    CertsCommand(PrintWriter out, PrintWriter err, java.util.function.Supplier<Duration> lockPatience) {
        this(out, err, lockPatience, RootedHost::local, java.time.Clock.systemUTC());
    }

    CertsCommand(PrintWriter out, PrintWriter err, java.util.function.Supplier<Duration> lockPatience,
                 java.util.function.Function<ActionLog, io.kubestead.agent.host.Host> realHost, java.time.Clock clock) {
        this.out = out;
        this.err = err;
        this.lockPatience = lockPatience;
        this.realHost = realHost;
        this.clock = clock;
    }

    /** A command line whose help and parse errors also go to the given writers (picocli's own output). */
    public static picocli.CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return new picocli.CommandLine(new CertsCommand(out, err)).setOut(out).setErr(err);
    }

    /** The command line of {@code kubestead certs}: renew waits for the host lock as long as the environment says. */
    static picocli.CommandLine commandLine(CliEnvironment env) {
        return new picocli.CommandLine(new CertsCommand(env.out(), env.err(), () -> HostSession.patience(env), env.realHost(), env.clock()))
                .setOut(env.out()).setErr(env.err());
    }

    @Override
    public Integer call() {
        err.println("kubestead: certs needs a subcommand: check-expiration, renew or ca-hash (see --help)");
        err.flush();
        return 2;
    }

    /** Shared by the subcommands: the tree to work on, and the one place that maps errors to exit codes. */
    abstract static class Sub implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        CertsCommand parent;

        @Option(names = "--root", defaultValue = "/", paramLabel = "DIR",
                description = "Root of the tree holding etc/kubernetes (default /; a dry-run directory works too).")
        Path root;

        abstract void work(io.kubestead.agent.host.Host host) throws InterruptedException;

        /** Whether the command works on the machine (--root /) rather than on a tree. */
        boolean onMachine() {
            return root.toAbsolutePath().normalize().toString().equals("/");
        }

        void requireTree(io.kubestead.agent.host.Host host) {
            String ca = PkiPaths.crt(CaKind.CA.baseName());
            if (!host.exists(ca)) {
                throw new SpecException("no cluster PKI under " + root + ": " + ca
                        + " is missing (give --root DIR for a dry-run tree)");
            }
        }

        @Override
        public Integer call() {
            try {
                if (!Files.isDirectory(root)) {
                    throw new SpecException("--root " + root + " is not a directory");
                }
                work(onMachine() ? parent.realHost.apply(new ActionLog())
                        : new RootedHost("local", root, new ProcessRunner(), new ActionLog()));
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                parent.err.println("kubestead: interrupted");
                return 1;
            } catch (SpecException e) {
                parent.err.println("kubestead: " + e.getMessage());
                return 2;
            } catch (RuntimeException e) {
                parent.err.println("kubestead: " + e.getMessage());
                return 1;
            } finally {
                parent.out.flush();
                parent.err.flush();
            }
        }
    }

    @Command(name = "check-expiration", mixinStandardHelpOptions = true,
            description = "List the certificates with their expiry, like kubeadm certs check-expiration.")
    static final class CheckExpiration extends Sub {
        @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT", description = "table or json")
        String output;

        @Override
        void work(io.kubestead.agent.host.Host host) {
            if (!output.equals("table") && !output.equals("json")) {
                throw new SpecException("-o " + output + " is not known; use table or json");
            }
            requireTree(host);
            ExpiryReport report = ExpiryReport.read(host, Instant.now());
            parent.out.print(output.equals("json") ? report.json() : report.table());
        }
    }

    @Command(name = "renew", mixinStandardHelpOptions = true,
            description = {"Renew certificates with the local CA, keeping subject and SANs. CAs are never renewed.",
                "On a master (--root /) the components that read them are then restarted one master at a time:",
                "the masters take turns through a lock in etcd, and each waits for its API server's /readyz with",
                "the new certificate before the next begins. 'due' renews those under 30 days (the daily timer's run)."})
    static final class Renew extends Sub {
        @Parameters(paramLabel = "NAME|all|due", description = "all, due, or one of the names check-expiration lists")
        String name;

        @Option(names = "--cert-validity-days", defaultValue = "365", paramLabel = "DAYS",
                description = "Validity of the renewed certificates (default 365).")
        int days;

        @Option(names = "--no-restart", description = "Only renew the files; restart the components yourself.")
        boolean noRestart;

        @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT", description = "text or json")
        String output;

        @Override
        void work(io.kubestead.agent.host.Host host) throws InterruptedException {
            if (days < 1) {
                throw new SpecException("--cert-validity-days " + days + " must be at least 1");
            }
            if (!output.equals("text") && !output.equals("json")) {
                throw new SpecException("-o " + output + " is not known; use text or json");
            }
            requireTree(host);
            Duration patience = parent.lockPatience.get();
            // renewing rewrites files an install rerun also writes: one command at a time on a host (or --root tree)
            try (HostLock lock = HostLock.take(host, "certs renew", Instant.now(), patience, holder -> {
                parent.err.println("Waiting for the host lock: " + holder.describe() + " holds it (waiting up to "
                        + patience.toSeconds() + " s)");
                parent.err.flush();
            })) {
                renew(host);
            }
        }

        private void say(String line) {
            (output.equals("json") ? parent.err : parent.out).println(line);
        }

        private void renew(io.kubestead.agent.host.Host host) throws InterruptedException {
            Renewal renewal = new Renewal(KeyPool.perCpu(), new CertIssuer(new SecureRandom()));
            Instant now = parent.clock.instant();
            List<String> names = name.equals("due") ? RollingRenewal.due(host, now) : List.of(name);
            if (names.isEmpty()) {
                say("nothing to renew: every certificate is valid for more than " + RollingRenewal.DUE.toDays() + " days");
                printJson(List.of(), List.of());
                return;
            }
            LocalControlPlane cp = new LocalControlPlane(host);
            if (onMachine() && !noRestart && cp.isMaster()) {
                RollingRenewal.Outcome o = new RollingRenewal(cp, renewal, parent.clock, d -> Thread.sleep(d.toMillis()),
                        this::say, RollingRenewal.Patience.DEFAULT).run(names, Duration.ofDays(days));
                say(o.renewed().isEmpty() ? "nothing to renew" : "renewed " + o.renewed().size() + " files; restarted "
                        + (o.restarted().isEmpty() ? "nothing" : String.join(", ", o.restarted())));
                printJson(o.renewed(), o.restarted());
                return;
            }
            List<String> changed = new java.util.ArrayList<>();
            for (String n : names) {
                renewal.renew(host, n, now, Duration.ofDays(days)).forEach(f -> changed.add(f.path()));
            }
            changed.forEach(f -> say("renewed " + f));
            if (changed.isEmpty()) {
                say("nothing to renew");
            } else {
                say("Restart kube-apiserver, kube-controller-manager and kube-scheduler to use them.");
            }
            printJson(changed, List.of());
        }

        private void printJson(List<String> renewed, List<String> restarted) {
            if (output.equals("json")) {
                var o = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
                o.putPOJO("renewed", renewed);
                o.putPOJO("restarted", restarted);
                parent.out.println(o.toPrettyString());
            }
        }
    }

    @Command(name = "ca-hash", mixinStandardHelpOptions = true,
            description = "Print the CA's discovery hash (sha256:...) for kubeadm join.")
    static final class CaHashCmd extends Sub {
        @Override
        void work(io.kubestead.agent.host.Host host) {
            requireTree(host);
            String path = PkiPaths.crt(CaKind.CA.baseName());
            byte[] pem = host.readFile(path).orElseThrow();
            try {
                parent.out.println(CaHash.of(Pem.certificate(pem)));
            } catch (java.security.cert.CertificateException e) {
                throw new SpecException(path + " is not a PEM certificate (" + e.getMessage() + ")");
            }
        }
    }
}
