package io.kubestead.agent.cli;

import io.kubestead.agent.backup.EtcdBackup;
import io.kubestead.agent.backup.EtcdRestore;
import io.kubestead.agent.controlplane.LocalControlPlane;
import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.spec.SpecException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kubestead etcd}: snapshots of this master's etcd, and bringing back a cluster that lost its quorum. */
@Command(name = "etcd", mixinStandardHelpOptions = true, description = "Back up and restore the cluster's etcd.",
        subcommands = {EtcdCommand.Snapshot.class, EtcdCommand.Restore.class, EtcdCommand.Rejoin.class})
final class EtcdCommand implements Callable<Integer> {
    final CliEnvironment env;

    EtcdCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        env.err().println("kubestead: etcd needs a subcommand: snapshot, restore or rejoin (see --help)");
        return ExitCodes.USAGE;
    }

    /** The master, the host lock and the one place that maps failures to exit codes. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        EtcdCommand parent;

        @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT", description = "text or json")
        String output;

        abstract String work(LocalControlPlane cp) throws InterruptedException;

        abstract String name();

        /** Restore and rejoin stop components and replace etcd's data: their commands go to a run log. */
        boolean changesHost() {
            return !name().equals("snapshot");
        }

        @Override
        public Integer call() {
            CliEnvironment env = parent.env;
            try {
                if (!output.equals("text") && !output.equals("json")) {
                    throw new SpecException("-o " + output + " is not known; use text or json");
                }
                if (!env.root()) {
                    throw new SpecException("etcd " + name() + " needs root (it reads the etcd client key); run it with sudo");
                }
                ActionLog log = new ActionLog();
                Host host = env.realHost().apply(log);
                LocalControlPlane cp = new LocalControlPlane(host);
                if (!cp.has(LocalControlPlane.ETCD)) {
                    throw new SpecException("this host has no etcd manifest: run 'kubestead etcd " + name() + "' on a master");
                }
                try (HostSession session = HostSession.lock(env, host, "etcd " + name())) {
                    if (changesHost() && output.equals("text")) {
                        session.startLog(host, log, false); // the commands it runs (etcdutl) and their output
                    }
                    String json = work(cp);
                    if (output.equals("json")) {
                        env.out().print(json);
                    }
                }
                return 0;
            } catch (SpecException e) {
                env.err().println("kubestead: " + e.getMessage());
                return ExitCodes.USAGE;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                env.err().println("kubestead: interrupted");
                return ExitCodes.FAILURE;
            } catch (RuntimeException e) {
                env.err().println("kubestead: " + e.getMessage());
                return ExitCodes.FAILURE;
            } finally {
                env.out().flush();
                env.err().flush();
            }
        }

        /** Progress lines: to stdout for people, to stderr when stdout carries JSON. */
        void say(String line) {
            (output.equals("json") ? parent.env.err() : parent.env.out()).println(line);
        }
    }

    @Command(name = "snapshot", mixinStandardHelpOptions = true,
            description = {"Save a verified snapshot of this master's etcd with the CA and service-account keys,",
                "as 0600 files in a new directory under " + EtcdBackup.DIR + " (0700); the oldest beyond --retain are deleted."})
    static final class Snapshot extends Sub {
        @Option(names = "--retain", defaultValue = "" + EtcdBackup.DEFAULT_RETAIN, paramLabel = "N",
                description = "How many backups to keep (default " + EtcdBackup.DEFAULT_RETAIN + ").")
        int retain;

        @Option(names = "--dir", defaultValue = EtcdBackup.DIR, paramLabel = "DIR", hidden = true)
        String dir;

        @Override
        String name() {
            return "snapshot";
        }

        @Override
        String work(LocalControlPlane cp) {
            if (!dir.startsWith("/") || dir.contains("..")) {
                throw new SpecException("--dir " + dir + " must be an absolute path without '..'");
            }
            EtcdBackup.Saved s = new EtcdBackup(cp).save(dir, retain, parent.env.clock().instant());
            say("saved " + s.snapshot() + " (" + s.bytes() + " bytes, sha256 " + s.sha256()
                    + (s.revision() >= 0 ? ", revision " + s.revision() + ", " + s.keys() + " keys" : "") + ")");
            s.removed().forEach(r -> say("removed the old backup " + r));
            return s.json();
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Restore a cluster that lost its etcd quorum from a backup, on this master: it becomes a",
                "new one-member etcd cluster holding the snapshot. Then run 'kubestead etcd rejoin' on each other",
                "master, one at a time. Refused while etcd here is healthy, unless --force."})
    static final class Restore extends Sub {
        @Parameters(paramLabel = "BACKUP", description = "A backup directory, or its snapshot.db.")
        String file;

        @Option(names = "--force", description = "Restore even though etcd here is healthy (loses what was written since).")
        boolean force;

        @Override
        String name() {
            return "restore";
        }

        @Override
        String work(LocalControlPlane cp) throws InterruptedException {
            if (!file.startsWith("/")) {
                file = parent.env.workingDir().resolve(file).normalize().toString();
            }
            EtcdRestore.Result r;
            try {
                r = new EtcdRestore(cp, parent.env.clock(), d -> Thread.sleep(d.toMillis()), this::say, Duration.ofMinutes(5))
                        .restore(file, force);
            } catch (EtcdRestore.Refused e) {
                throw new SpecException(e.getMessage());
            }
            say("restored: " + r.members() + " with " + r.keys() + " keys at revision " + r.revision());
            say("Now on each other master, one at a time: kubestead etcd rejoin --endpoint " + cp.etcdClientUrl());
            return r.json();
        }
    }

    @Command(name = "rejoin", mixinStandardHelpOptions = true,
            description = {"After 'kubestead etcd restore' on another master: this master's etcd joins the restored",
                "cluster as a new member (its old data kept aside). Run it on one master at a time."})
    static final class Rejoin extends Sub {
        @Option(names = "--endpoint", required = true, paramLabel = "URL",
                description = "The restored master's etcd client URL, e.g. https://10.0.0.11:2379 (restore prints it).")
        String endpoint;

        @Override
        String name() {
            return "rejoin";
        }

        @Override
        String work(LocalControlPlane cp) throws InterruptedException {
            URI url;
            try {
                url = URI.create(endpoint);
            } catch (IllegalArgumentException e) {
                throw new SpecException("--endpoint " + endpoint + " is not a URL; give https://ADDRESS:2379");
            }
            if (!"https".equals(url.getScheme()) || url.getHost() == null || url.getPort() < 1
                    || (url.getPath() != null && !url.getPath().isEmpty())) {
                throw new SpecException("--endpoint " + endpoint + " is not https://ADDRESS:PORT; give the URL restore printed");
            }
            EtcdRestore.Result r = new EtcdRestore(cp, parent.env.clock(), d -> Thread.sleep(d.toMillis()), this::say,
                    Duration.ofMinutes(5)).rejoin(url);
            say("rejoined: the cluster has " + r.members());
            return r.json();
        }
    }
}
