package io.kubestead.agent.cli;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.HostLock;
import io.kubestead.agent.host.ProcessRunner;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.pki.CaHash;
import io.kubestead.agent.pki.CaKind;
import io.kubestead.agent.pki.CertIssuer;
import io.kubestead.agent.pki.ExpiryReport;
import io.kubestead.agent.pki.FileOutcome;
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

    public CertsCommand(PrintWriter out, PrintWriter err) {
        this(out, err, () -> HostSession.PATIENCE);
    }

    CertsCommand(PrintWriter out, PrintWriter err, java.util.function.Supplier<Duration> lockPatience) {
        this.out = out;
        this.err = err;
        this.lockPatience = lockPatience;
    }

    /** A command line whose help and parse errors also go to the given writers (picocli's own output). */
    public static picocli.CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return new picocli.CommandLine(new CertsCommand(out, err)).setOut(out).setErr(err);
    }

    /** The command line of {@code kubestead certs}: renew waits for the host lock as long as the environment says. */
    static picocli.CommandLine commandLine(CliEnvironment env) {
        return new picocli.CommandLine(new CertsCommand(env.out(), env.err(), () -> HostSession.patience(env)))
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

        abstract void work(RootedHost host);

        static void requireTree(RootedHost host) {
            String ca = PkiPaths.crt(CaKind.CA.baseName());
            if (!host.exists(ca)) {
                throw new SpecException("no cluster PKI under " + host.root() + ": " + ca
                        + " is missing (give --root DIR for a dry-run tree)");
            }
        }

        @Override
        public Integer call() {
            try {
                if (!Files.isDirectory(root)) {
                    throw new SpecException("--root " + root + " is not a directory");
                }
                work(new RootedHost("local", root, new ProcessRunner(), new ActionLog()));
                return 0;
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
        void work(RootedHost host) {
            if (!output.equals("table") && !output.equals("json")) {
                throw new SpecException("-o " + output + " is not known; use table or json");
            }
            requireTree(host);
            ExpiryReport report = ExpiryReport.read(host, Instant.now());
            parent.out.print(output.equals("json") ? report.json() : report.table());
        }
    }

    @Command(name = "renew", mixinStandardHelpOptions = true,
            description = "Renew a certificate (or all) with the local CA, keeping subject and SANs. CAs are never renewed.")
    static final class Renew extends Sub {
        @Parameters(paramLabel = "NAME|all", description = "all, or one of the names check-expiration lists")
        String name;

        @Option(names = "--cert-validity-days", defaultValue = "365", paramLabel = "DAYS",
                description = "Validity of the renewed certificates (default 365).")
        int days;

        @Override
        void work(RootedHost host) {
            if (days < 1) {
                throw new SpecException("--cert-validity-days " + days + " must be at least 1");
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

        private void renew(RootedHost host) {
            List<FileOutcome> changed = new Renewal(KeyPool.perCpu(), new CertIssuer(new SecureRandom()))
                    .renew(host, name, Instant.now(), Duration.ofDays(days));
            changed.forEach(f -> parent.out.println("renewed " + f.path()));
            if (changed.isEmpty()) {
                parent.out.println("nothing to renew");
            } else {
                parent.out.println("Restart kube-apiserver, kube-controller-manager, kube-scheduler and etcd to use them.");
            }
        }
    }

    @Command(name = "ca-hash", mixinStandardHelpOptions = true,
            description = "Print the CA's discovery hash (sha256:...) for kubeadm join.")
    static final class CaHashCmd extends Sub {
        @Override
        void work(RootedHost host) {
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
