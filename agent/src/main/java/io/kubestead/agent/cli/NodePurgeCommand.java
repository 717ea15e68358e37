package io.kubestead.agent.cli;

import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.PemTls;
import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.host.RunLog;
import io.kubestead.agent.join.HttpKubeApi;
import io.kubestead.agent.join.KubeApi;
import io.kubestead.agent.join.LeaseLock;
import io.kubestead.agent.node.LostNodePurger;
import io.kubestead.agent.node.NodePurge;
import io.kubestead.agent.node.PortProbe;
import io.kubestead.agent.node.PurgeCheck;
import io.kubestead.agent.node.PurgeRefusedException;
import io.kubestead.agent.spec.HostPort;
import io.kubestead.agent.spec.Shown;
import io.kubestead.agent.spec.SpecException;
import io.kubestead.agent.status.StatusCollector;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubestead node purge NAME} and the timer's {@code node purge-lost}: removing lost nodes from a master, with
 * the guards of {@link NodePurge}. Wired under {@code kubestead node} by {@link NodeCommand}.
 */
final class NodePurgeCommand {
    private NodePurgeCommand() {
    }

    /** Where the cluster is reached from a master: its admin.conf and etcd client (tests give addresses). */
    static final class Access {
        @Option(names = "--api-server", hidden = true, paramLabel = "URL", description = "the API server instead of admin.conf's")
        URI apiServer;

        @Option(names = "--etcd-endpoint", hidden = true, paramLabel = "URL", description = "etcd client URL (https://127.0.0.1:2379)")
        URI etcdEndpoint = StatusCollector.LOCAL_ETCD;

        KubeApi api(Host host) {
            byte[] admin = host.readFile(StatusCollector.ADMIN_CONF).orElseThrow(() -> new SpecException(
                    StatusCollector.ADMIN_CONF + " is missing: run this on a master"));
            return HttpKubeApi.fromKubeconfig(admin, Optional.ofNullable(apiServer), StatusCollector.API_TIMEOUT);
        }

        EtcdClient etcd(Host host) {
            return new EtcdClient(List.of(etcdEndpoint), PemTls.mutual(read(host, StatusCollector.ETCD_CA),
                    read(host, StatusCollector.ETCD_CLIENT_CERT), read(host, StatusCollector.ETCD_CLIENT_KEY)),
                    StatusCollector.TIMEOUT);
        }

        /** This master's node name: the one its balancer record keeps, else the host name. */
        static String self(Host host, CliEnvironment env) {
            try {
                return io.kubestead.agent.lb.BalancerFile.read(host).flatMap(io.kubestead.agent.lb.BalancerFile::localMaster)
                        .orElse(env.facts().hostName());
            } catch (IllegalStateException e) {
                return env.facts().hostName();
            }
        }

        private static String read(Host host, String path) {
            return host.readString(path).orElseThrow(() -> new SpecException(path + " is missing: run this on a master"));
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true, header = "Remove a lost node from the cluster.",
            description = {"Run on a master. Refuses (exit 3, saying why) while the node still answers: its Ready",
                "condition is True, its kubelet renewed its Lease in the last 40 s, its kubelet (10250) or for a master",
                "its API server (6443) or etcd peer (2380) port accepts connections, or its etcd member is healthy; and",
                "for a master, when removing its etcd member would leave etcd without quorum. Then: records the purge",
                "(ConfigMap kube-system/kubestead-purged-nodes), removes the master's etcd member, deletes the Node",
                "(every node's lb-sync then drops the master from its balancer and keepalived peers), and posts an Event.",
                "Logged to /var/log/kubestead/node-purge-TIME.log."})
    static final class Purge implements Callable<Integer> {
        Purge(CliEnvironment env) {
            this.env = env;
        }

        private final CliEnvironment env;

        @picocli.CommandLine.Mixin
        Access access = new Access();

        @Parameters(paramLabel = "NAME", description = "the node's name, as kubectl get nodes shows it")
        String name;

        @Option(names = "--force", description = "purge even when the guards refuse (a node that answers, etcd quorum), with a warning")
        boolean force;

        @Override
        public Integer call() {
            if (!HostPort.isDnsName(name)) {
                throw new SpecException("node name " + Shown.quoted(name) + " is not a valid node name (lowercase RFC 1123)");
            }
            Host host = env.realHost().apply(new ActionLog());
            if (name.equals(Access.self(host, env))) {
                throw new SpecException(name + " is the node this runs on: purge it from another master, or leave the"
                        + " cluster with 'kubestead reset' here");
            }
            KubeApi api = access.api(host);
            NodePurge purge = new NodePurge(api, access.etcd(host), PortProbe.tcp(Duration.ofSeconds(2)), env.clock(),
                    io.kubestead.agent.join.Sleeper.system());
            try (RunLog log = RunLog.create(host, "node-purge", env.clock().instant())) {
                env.out().println("Run log: " + log.file());
                Consumer<String> say = line -> {
                    env.out().println(Shown.escape(line));
                    log.line(line);
                };
                Consumer<String> warn = line -> {
                    env.err().println(Shown.escape(line));
                    log.line(line);
                };
                PurgeCheck check = purge.check(name);
                if (!check.exists()) {
                    // a purge run again after it finished: nothing left, and the record says so
                    var done = io.kubestead.agent.status.PurgeRecord.find(api, name);
                    if (done.isPresent()) {
                        say.accept("nothing to do: " + done.get().sentence());
                        return 0;
                    }
                    throw new SpecException("no node and no etcd member named " + name + " ('kubectl get nodes' lists the nodes)");
                }
                log.line("checked " + name + ": node " + (check.node().isPresent() ? "present" : "absent") + ", etcd member "
                        + check.member().map(m -> m.label()).orElse("none") + ", answers: " + check.signsOfLife()
                        + ", quorum: " + check.quorumProblem().orElse("ok"));
                try {
                    purge.purge(check, force, "kubestead node purge on " + Access.self(host, env), say, warn);
                } catch (PurgeRefusedException e) {
                    log.line("refused: " + e.getMessage());
                    env.err().println(ExitCodes.line(e.getMessage()));
                    return ExitCodes.PREFLIGHT;
                }
                say.accept("purged " + name);
                return 0;
            } finally {
                env.out().flush();
                env.err().flush();
            }
        }
    }

    @Command(name = "purge-lost", hidden = true, mixinStandardHelpOptions = true,
            header = "Purge the nodes NotReady for purge-after (run by a timer on every master).",
            description = {"The master holding the Lease kube-system/" + LostNodePurger.LEASE + " purges every node that has",
                "not been Ready for the cluster's purge-after (ConfigMap kube-system/kubestead-node-purge), with the",
                "guards of 'node purge'; the others do nothing this round. Logged like 'node purge'."})
    static final class PurgeLost implements Callable<Integer> {
        PurgeLost(CliEnvironment env) {
            this.env = env;
        }

        private final CliEnvironment env;

        @picocli.CommandLine.Mixin
        Access access = new Access();

        @Option(names = "--identity", hidden = true, description = "who competes for the Lease (default: this node's name)")
        String identity;

        @Override
        public Integer call() {
            Host host = env.realHost().apply(new ActionLog());
            KubeApi api = access.api(host);
            String self = identity != null ? identity : Access.self(host, env);
            NodePurge purge = new NodePurge(api, access.etcd(host), PortProbe.tcp(Duration.ofSeconds(2)), env.clock(),
                    io.kubestead.agent.join.Sleeper.system());
            LostNodePurger purger = new LostNodePurger(api, purge, new LeaseLock(api, env.clock(), LostNodePurger.LEASE),
                    env.clock());
            try (RunLog log = RunLog.create(host, "node-purge-lost", env.clock().instant())) {
                Consumer<String> say = line -> {
                    env.out().println(Shown.escape(line));
                    log.line(line);
                };
                Consumer<String> warn = line -> {
                    env.err().println(Shown.escape(line));
                    log.line(line);
                };
                List<String> purged = purger.round(self, say, warn);
                say.accept(purged.isEmpty() ? "purged nothing" : "purged " + String.join(", ", purged));
                return 0;
            } finally {
                env.out().flush();
                env.err().flush();
            }
        }
    }
}
