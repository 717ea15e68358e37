package io.kubestead.agent.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.PemTls;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.join.HttpKubeApi;
import io.kubestead.agent.join.JoinCommands;
import io.kubestead.agent.join.JoinSecrets;
import io.kubestead.agent.join.KubeApi;
import io.kubestead.agent.join.KubeApiException;
import io.kubestead.agent.lb.BalancerFile;
import io.kubestead.agent.lb.Master;
import io.kubestead.agent.pki.ExpiryReport;
import io.kubestead.agent.spec.HostPort;
import io.kubestead.agent.spec.LoadBalancer;
import io.kubestead.agent.spec.SpecException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Takes one {@link ClusterStatus} on a master: the nodes and pods from the API, etcd from its members, this node's
 * balancer from /etc/kubestead/balancer.json with each backend probed, the certificates and join secrets from this
 * master's files. Nothing here changes anything. Each source that cannot be asked becomes advice, not an error, so
 * a sick cluster still gets a whole report.
 */
public final class StatusCollector {
    /** kubeadm's files on a master. */
    public static final String ADMIN_CONF = "/etc/kubernetes/admin.conf";
    public static final String CLUSTER_CA = "/etc/kubernetes/pki/ca.crt";
    public static final String ETCD_CA = "/etc/kubernetes/pki/etcd/ca.crt";
    public static final String ETCD_CLIENT_CERT = "/etc/kubernetes/pki/etcd/healthcheck-client.crt";
    public static final String ETCD_CLIENT_KEY = "/etc/kubernetes/pki/etcd/healthcheck-client.key";
    public static final URI LOCAL_ETCD = URI.create("https://127.0.0.1:2379");
    static final int ETCD_CLIENT_PORT = 2379;
    /** Small: every probe is on this host's network, and a dead peer must not stall the report. */
    public static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** The API server may take longer for a page of a large cluster's pods. */
    public static final Duration API_TIMEOUT = Duration.ofSeconds(15);
    /** Pods are listed in pages, so no single answer of a large cluster nears HttpKubeApi's bound. */
    static final int PAGE = 500;

    private final Host host;
    private final KubeApi api;
    private final EtcdClient etcd;
    private final BackendProbe probe;
    private final Clock clock;
    private final int page;
    private final Optional<Function<List<URI>, EtcdClient>> etcdVia;

    public StatusCollector(Host host, KubeApi api, EtcdClient etcd, BackendProbe probe, Clock clock) {
        this(host, api, etcd, probe, clock, PAGE, Optional.empty());
    }

    /**
     * @param etcdVia an etcd client for other client URLs: when {@code etcd} (this master's own member) cannot be
     *                asked, the members are asked through the other masters' addresses
     */
    public StatusCollector(Host host, KubeApi api, EtcdClient etcd, BackendProbe probe, Clock clock,
                           Function<List<URI>, EtcdClient> etcdVia) {
        this(host, api, etcd, probe, clock, PAGE, Optional.of(etcdVia));
    }

    StatusCollector(Host host, KubeApi api, EtcdClient etcd, BackendProbe probe, Clock clock, int page,
                    Optional<Function<List<URI>, EtcdClient>> etcdVia) {
        this.host = host;
        this.api = api;
        this.etcd = etcd;
        this.probe = probe;
        this.clock = clock;
        this.page = page;
        this.etcdVia = etcdVia;
    }

    /**
     * With this master's own credentials: admin.conf for the API (at {@code apiServer} when given, else its own
     * server), kubeadm's etcd healthcheck client for {@code etcdEndpoint}, the cluster CA for the probes.
     *
     * @throws SpecException when this host is not a master (no admin.conf)
     */
    public static StatusCollector onMaster(Host host, Optional<URI> apiServer, URI etcdEndpoint, Clock clock) {
        byte[] admin = host.readFile(ADMIN_CONF).orElseThrow(() -> new SpecException(ADMIN_CONF
                + " is missing: run this on a master"));
        String ca = host.readString(CLUSTER_CA).orElseThrow(() -> new SpecException(CLUSTER_CA + " is missing: run this on a master"));
        KubeApi api = HttpKubeApi.fromKubeconfig(admin, apiServer, API_TIMEOUT);
        javax.net.ssl.SSLContext etcdTls = PemTls.mutual(read(host, ETCD_CA), read(host, ETCD_CLIENT_CERT),
                read(host, ETCD_CLIENT_KEY));
        return new StatusCollector(host, api, new EtcdClient(List.of(etcdEndpoint), etcdTls, TIMEOUT),
                BackendProbe.trusting(ca, TIMEOUT), clock, urls -> new EtcdClient(urls, etcdTls, TIMEOUT));
    }

    private static String read(Host host, String path) {
        return host.readString(path).orElseThrow(() -> new SpecException(path + " is missing: run this on a master"));
    }

    public ClusterStatus collect() {
        Instant now = clock.instant();
        List<Advice> problems = new ArrayList<>();
        List<NodeStatus> nodes = nodes(problems);
        Optional<BalancerFile> file = balancerFile();
        // the node name as the cluster knows it (the host may only know itself as "local")
        String self = file.flatMap(BalancerFile::localMaster).orElse(host.name());
        EtcdStatus etcdStatus = etcd(nodes, self);
        BalancerStatus balancer = balancer(file, nodes);
        List<CertificateStatus> certs = certificates(now);
        List<Advice> advice = new ArrayList<>(problems);
        advice.addAll(AdviceRules.evaluate(nodes, etcdStatus, balancer, certs, now));
        return new ClusterStatus(now, self, nodes, etcdStatus, balancer, certs, joinScripts(), advice);
    }

    /** From this master's etcd; when it cannot be asked, through the other masters' client URLs. */
    private EtcdStatus etcd(List<NodeStatus> nodes, String self) {
        EtcdStatus local = EtcdReader.read(etcd);
        List<URI> others = nodes.stream().filter(NodeStatus::master).filter(n -> !n.name().equals(self))
                .flatMap(n -> n.address().stream())
                .map(a -> URI.create("https://" + new HostPort(a, ETCD_CLIENT_PORT) + "/")).toList();
        if (local.reachable() || etcdVia.isEmpty() || others.isEmpty()) {
            return local;
        }
        EtcdStatus remote = EtcdReader.read(etcdVia.get().apply(others));
        return remote.reachable() ? remote : local;
    }

    private List<NodeStatus> nodes(List<Advice> problems) {
        try {
            JsonNode nodes = api.get("/api/v1/nodes").orElseThrow();
            List<NodeStatus> read = NodeReader.read(nodes, pods());
            problems.addAll(AdviceRules.purgedNodesBack(read, PurgeRecord.all(api)));
            return read;
        } catch (KubeApiException | java.util.NoSuchElementException e) {
            problems.add(new Advice(Advice.Kind.API_UNREACHABLE, "api", "check kube-apiserver on this master",
                    "the nodes could not be listed: " + e.getMessage()));
            return List.of();
        }
    }

    /** Every pod that still holds its requests (neither Succeeded nor Failed), page by page, as one list. */
    private JsonNode pods() {
        com.fasterxml.jackson.databind.node.ObjectNode all = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        com.fasterxml.jackson.databind.node.ArrayNode items = all.putArray("items");
        String next = "";
        do {
            JsonNode answer = api.get(podsPage(page, next)).orElseThrow();
            answer.path("items").forEach(items::add);
            next = answer.path("metadata").path("continue").asText("");
        } while (!next.isEmpty());
        return all;
    }

    static String podsPage(int limit, String next) {
        return "/api/v1/pods?limit=" + limit + "&fieldSelector=status.phase%21%3DSucceeded%2Cstatus.phase%21%3DFailed"
                + (next.isEmpty() ? "" : "&continue=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8));
    }

    private Optional<BalancerFile> balancerFile() {
        try {
            return BalancerFile.read(host);
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    private BalancerStatus balancer(Optional<BalancerFile> file, List<NodeStatus> nodes) {
        List<BalancerStatus.BackendStatus> backends = new ArrayList<>();
        String mode = file.map(f -> f.loadBalancer().mode().name().toLowerCase()).orElse("unknown");
        String endpoint = "";
        if (file.isPresent()) {
            LoadBalancer lb = file.get().loadBalancer();
            endpoint = switch (lb.mode()) {
                case INTERNAL -> "127.0.0.1:" + lb.internalPort();
                case EXTERNAL -> lb.external().toString();
                case VIP -> new HostPort(lb.vip(), LoadBalancer.API_SERVER_PORT).toString();
                case NONE -> file.get().stableName() + ":" + LoadBalancer.API_SERVER_PORT;
            };
            if (lb.mode() == LoadBalancer.Mode.EXTERNAL || lb.mode() == LoadBalancer.Mode.VIP) {
                backends.add(backend(lb.mode() == LoadBalancer.Mode.VIP ? "vip" : "load-balancer", endpoint));
            }
        }
        for (NodeStatus n : nodes) {
            if (n.master() && n.address().isPresent()) {
                backends.add(backend(n.name(), new HostPort(n.address().get(), Master.API_PORT).toString()));
            }
        }
        return new BalancerStatus(mode, endpoint, backends);
    }

    private BalancerStatus.BackendStatus backend(String name, String address) {
        BackendProbe.Answer a = probe.readyz(address);
        return new BalancerStatus.BackendStatus(name, address, a.ready(), a.detail());
    }

    private List<CertificateStatus> certificates(Instant now) {
        ExpiryReport report;
        try {
            report = ExpiryReport.read(host, now);
        } catch (SpecException e) {
            return List.of();
        }
        List<CertificateStatus> out = new ArrayList<>();
        for (ExpiryReport.Row r : report.certificates()) {
            out.add(new CertificateStatus(r.name(), Optional.ofNullable(r.expires()), r.authority()));
        }
        for (ExpiryReport.Row r : report.authorities()) {
            out.add(new CertificateStatus(r.name(), Optional.ofNullable(r.expires()), ""));
        }
        return out;
    }

    private List<JoinScriptStatus> joinScripts() {
        Optional<JoinSecrets> secrets;
        try {
            secrets = JoinSecrets.load(host);
        } catch (IllegalStateException e) {
            secrets = Optional.empty();
        }
        return List.of(
                new JoinScriptStatus("master", JoinCommands.MASTER_SCRIPT, host.exists(JoinCommands.MASTER_SCRIPT),
                        secrets.map(JoinSecrets::keyExpires)),
                new JoinScriptStatus("worker", JoinCommands.WORKER_SCRIPT, host.exists(JoinCommands.WORKER_SCRIPT),
                        secrets.map(JoinSecrets::tokenExpires)));
    }
}
