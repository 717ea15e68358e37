package io.kubestead.agent.controlplane;

import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.PemTls;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.spec.SpecException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * This master's control plane as its kubeadm manifests describe it: where etcd and the API server serve (the
 * advertised addresses, which other masters reach too), etcd's name, peer URL and data directory, and a probe per
 * component. Paths are kubeadm's; etcd is reached with the healthcheck client certificate, as kubeadm does.
 */
public final class LocalControlPlane {
    public static final String ETCD = "etcd";
    public static final String API_SERVER = "kube-apiserver";
    public static final String CONTROLLER_MANAGER = "kube-controller-manager";
    public static final String SCHEDULER = "kube-scheduler";
    static final String ETCD_CA = "/etc/kubernetes/pki/etcd/ca.crt";
    static final String ETCD_CLIENT_CERT = "/etc/kubernetes/pki/etcd/healthcheck-client.crt";
    static final String ETCD_CLIENT_KEY = "/etc/kubernetes/pki/etcd/healthcheck-client.key";
    static final String CA = "/etc/kubernetes/pki/ca.crt";

    private final Host host;

    public LocalControlPlane(Host host) {
        this.host = host;
    }

    public Host host() {
        return host;
    }

    /** A component's manifest, from the manifests directory or where a paused one waits. */
    public StaticPodManifest manifest(String component) {
        for (String path : List.of(StaticPods.manifest(component), StaticPods.paused(component))) {
            Optional<byte[]> yaml = host.readFile(path);
            if (yaml.isPresent()) {
                return StaticPodManifest.parse(path, yaml.get());
            }
        }
        throw new SpecException("no " + StaticPods.manifest(component) + ": this is not a kubeadm master (run it on a master)");
    }

    public boolean isMaster() {
        return has(API_SERVER);
    }

    /** Whether this host runs the component as a static pod (its manifest, or a paused one). */
    public boolean has(String component) {
        return host.exists(StaticPods.manifest(component)) || host.exists(StaticPods.paused(component));
    }

    /** The etcd member name (kubeadm names it after the node). */
    public String etcdName() {
        return manifest(ETCD).require("name");
    }

    public String etcdPeerUrl() {
        return first(manifest(ETCD).require("initial-advertise-peer-urls"));
    }

    public URI etcdClientUrl() {
        return URI.create(first(manifest(ETCD).require("advertise-client-urls")));
    }

    public String etcdDataDir() {
        return manifest(ETCD).flag("data-dir").orElse("/var/lib/etcd");
    }

    public SSLContext etcdTls() {
        return PemTls.mutual(read(ETCD_CA), read(ETCD_CLIENT_CERT), read(ETCD_CLIENT_KEY));
    }

    public EtcdClient etcd(Duration timeout) {
        return new EtcdClient(List.of(etcdClientUrl()), etcdTls(), timeout);
    }

    public EtcdClient etcd(List<URI> endpoints, Duration timeout) {
        return new EtcdClient(endpoints, etcdTls(), timeout);
    }

    /** The API server's own address (not the balancer's): advertise address and secure port. */
    public URI apiServerUrl() {
        StaticPodManifest m = manifest(API_SERVER);
        return apiServerAt(m.require("advertise-address"), Integer.parseInt(m.flag("secure-port").orElse("6443")));
    }

    public static URI apiServerAt(String address, int port) {
        return URI.create("https://" + (address.contains(":") ? "[" + address + "]" : address) + ":" + port);
    }

    public Probe probe(String component) {
        return switch (component) {
            case ETCD -> Probe.https(etcdClientUrl().resolve("/health"), etcdTls());
            case API_SERVER -> Probe.https(apiServerUrl().resolve("/readyz"), PemTls.trusting(read(CA)));
            case CONTROLLER_MANAGER -> Probe.curl(host, "https://127.0.0.1:" + port(component, "10257") + "/healthz");
            case SCHEDULER -> Probe.curl(host, "https://127.0.0.1:" + port(component, "10259") + "/healthz");
            default -> throw new IllegalArgumentException(component);
        };
    }

    /** Another master's API server /readyz, seen from here. */
    public Probe apiServerProbe(URI server) {
        return Probe.https(server.resolve("/readyz"), PemTls.trusting(read(CA)));
    }

    private String port(String component, String dflt) {
        return manifest(component).flag("secure-port").orElse(dflt);
    }

    String read(String path) {
        return host.readString(path).orElseThrow(() -> new SpecException(path + " is missing: is this a master?"));
    }

    private static String first(String urls) {
        return urls.split(",")[0].strip();
    }
}
