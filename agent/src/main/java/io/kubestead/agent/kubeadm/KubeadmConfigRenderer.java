package io.kubestead.agent.kubeadm;

import static io.kubestead.agent.kubeadm.ConfigFields.apiEndpoint;
import static io.kubestead.agent.kubeadm.ConfigFields.controlPlaneTaints;
import static io.kubestead.agent.kubeadm.ConfigFields.document;
import static io.kubestead.agent.kubeadm.ConfigFields.extraArgs;
import static io.kubestead.agent.kubeadm.ConfigFields.goDuration;
import static io.kubestead.agent.kubeadm.ConfigFields.map;
import static io.kubestead.agent.kubeadm.ConfigFields.nodeRegistration;

import io.kubestead.agent.host.Host;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders the kubeadm configuration files: one multi-document YAML for {@code kubeadm init} (Init, Cluster, Kubelet
 * and KubeProxy configurations) and one JoinConfiguration for {@code kubeadm join}, in the API version of the
 * Kubernetes release. Files hold the bootstrap token and certificate key, so they are written mode 0600.
 */
public final class KubeadmConfigRenderer {
    public static final String INIT_CONFIG_PATH = "/etc/kubestead/kubeadm-init.yaml";
    public static final String JOIN_CONFIG_PATH = "/etc/kubestead/kubeadm-join.yaml";
    /**
     * kubeadm's patches directory for a joining node: a joiner's kubelet takes the cluster's KubeletConfiguration,
     * so a cgroup v1 joiner patches {@code failCgroupV1: false} into its own copy only.
     */
    public static final String PATCHES_DIR = "/etc/kubestead/kubeadm-patches";
    public static final String CGROUP_V1_PATCH = PATCHES_DIR + "/kubeletconfiguration+merge.yaml";
    public static final String CGROUP_V1_PATCH_TEXT = "failCgroupV1: false\n";
    static final Duration CONTROL_PLANE_TIMEOUT = Duration.ofMinutes(4);
    static final Duration DISCOVERY_TIMEOUT = Duration.ofMinutes(5);
    /** Modest hardening: profiling endpoints expose internals and are not needed in production. */
    private static final Map<String, String> COMPONENT_ARGS = Map.of("profiling", "false");

    private final YamlDocuments yaml = new YamlDocuments();

    public String renderInit(InitConfigInput in) {
        return renderInit(in, false);
    }

    /**
     * With {@code conntrackReadOnly} (the first master's nf_conntrack_max is read-only: a host that is itself a
     * container, in its own network namespace) kube-proxy leaves the conntrack table size to the kernel; it would
     * otherwise exit at start, failing to write it, and with it every Service.
     */
    public String renderInit(InitConfigInput in, boolean conntrackReadOnly) {
        return yaml.write(List.of(initConfiguration(in), clusterConfiguration(in), kubeletConfiguration(in.node()),
                kubeProxyConfiguration(in.cluster(), conntrackReadOnly)));
    }

    public String renderJoin(JoinConfigInput in) {
        return yaml.write(List.of(joinConfiguration(in)));
    }

    /** Renders and writes {@link #INIT_CONFIG_PATH} (mode 0600); returns the path for {@code kubeadm --config}. */
    public String writeInit(Host host, InitConfigInput in) {
        host.writeString(INIT_CONFIG_PATH, renderInit(in), 0600);
        return INIT_CONFIG_PATH;
    }

    /** Renders and writes {@link #JOIN_CONFIG_PATH} (mode 0600); returns the path for {@code kubeadm --config}. */
    public String writeJoin(Host host, JoinConfigInput in) {
        host.writeString(JOIN_CONFIG_PATH, renderJoin(in), 0600);
        return JOIN_CONFIG_PATH;
    }

    private Map<String, Object> initConfiguration(InitConfigInput in) {
        ClusterSettings c = in.cluster();
        KubeadmApi api = c.api();
        Map<String, Object> doc = document(api.apiVersion(), "InitConfiguration");
        doc.put("bootstrapTokens", List.of(map(
                "token", in.token().value(),
                "description", "kubestead join token",
                "ttl", goDuration(in.tokenTtl()),
                "usages", List.of("signing", "authentication"),
                "groups", List.of("system:bootstrappers:kubeadm:default-node-token"))));
        doc.put("nodeRegistration", nodeRegistration(api, in.node(), taints(c.taintControlPlane(), c)));
        doc.put("localAPIEndpoint", apiEndpoint(in.node().privateAddress()));
        doc.put("certificateKey", in.certificateKey().value());
        if (api == KubeadmApi.V1BETA4) {
            doc.put("timeouts", map("controlPlaneComponentHealthCheck", goDuration(CONTROL_PLANE_TIMEOUT)));
        }
        return doc;
    }

    private Map<String, Object> clusterConfiguration(InitConfigInput in) {
        ClusterSettings c = in.cluster();
        KubeadmApi api = c.api();
        Map<String, Object> doc = document(api.apiVersion(), "ClusterConfiguration");
        doc.put("clusterName", c.clusterName());
        doc.put("kubernetesVersion", c.kubernetesVersion().tag());
        doc.put("controlPlaneEndpoint", c.controlPlaneEndpoint());
        doc.put("imageRepository", c.imageRepository());
        doc.put("certificatesDir", c.certificatesDir());
        doc.put("networking", map("serviceSubnet", c.serviceSubnet(), "podSubnet", c.podSubnet(),
                "dnsDomain", c.dnsDomain()));
        Map<String, Object> apiServer = new LinkedHashMap<>();
        apiServer.put("certSANs", certSans(c, in.node()));
        apiServer.put("extraArgs", extraArgs(api, COMPONENT_ARGS));
        if (api == KubeadmApi.V1BETA3) {
            apiServer.put("timeoutForControlPlane", goDuration(CONTROL_PLANE_TIMEOUT));
        }
        doc.put("apiServer", apiServer);
        doc.put("controllerManager", map("extraArgs", extraArgs(api, COMPONENT_ARGS)));
        doc.put("scheduler", map("extraArgs", extraArgs(api, COMPONENT_ARGS)));
        doc.put("etcd", map("local", map("dataDir", "/var/lib/etcd")));
        if (api == KubeadmApi.V1BETA4) {
            doc.put("encryptionAlgorithm", c.encryptionAlgorithm());
            doc.put("certificateValidityPeriod", goDuration(c.certificateValidity()));
            doc.put("caCertificateValidityPeriod", goDuration(c.caCertificateValidity()));
        }
        return doc;
    }

    private static Map<String, Object> kubeletConfiguration(NodeSettings node) {
        Map<String, Object> doc = document(KubeadmApi.KUBELET_API, "KubeletConfiguration");
        doc.put("cgroupDriver", "systemd");
        doc.put("rotateCertificates", true);
        if (node.keepCgroupV1()) {
            doc.put("failCgroupV1", false); // kept knowingly: the cgroups preflight check was ignored
        }
        return doc;
    }

    private static Map<String, Object> kubeProxyConfiguration(ClusterSettings c, boolean conntrackReadOnly) {
        Map<String, Object> doc = document(KubeadmApi.KUBE_PROXY_API, "KubeProxyConfiguration");
        doc.put("mode", c.proxyMode().word());
        doc.put("clusterCIDR", c.podSubnet());
        if (conntrackReadOnly) {
            doc.put("conntrack", map("maxPerCore", 0));
        }
        return doc;
    }

    private Map<String, Object> joinConfiguration(JoinConfigInput in) {
        KubeadmApi api = in.api();
        Map<String, Object> doc = document(api.apiVersion(), "JoinConfiguration");
        List<Map<String, Object>> taints = null;
        if (in.controlPlane()) {
            taints = in.taintControlPlane() ? controlPlaneTaints(in.kubernetesVersion()) : List.of();
        }
        doc.put("nodeRegistration", nodeRegistration(api, in.node(), taints));
        Map<String, Object> discovery = new LinkedHashMap<>();
        discovery.put("bootstrapToken", map("apiServerEndpoint", in.apiServerEndpoint(),
                "token", in.token().value(), "caCertHashes", in.caCertHashes()));
        if (api == KubeadmApi.V1BETA3) {
            discovery.put("timeout", goDuration(DISCOVERY_TIMEOUT));
        }
        doc.put("discovery", discovery);
        if (in.controlPlane()) {
            doc.put("controlPlane", map("localAPIEndpoint", apiEndpoint(in.node().privateAddress()),
                    "certificateKey", in.certificateKey().value()));
        }
        if (in.node().keepCgroupV1()) {
            doc.put("patches", map("directory", PATCHES_DIR));
        }
        if (api == KubeadmApi.V1BETA4) {
            doc.put("timeouts", map("discovery", goDuration(DISCOVERY_TIMEOUT)));
        }
        return doc;
    }

    private static List<Map<String, Object>> taints(boolean taint, ClusterSettings c) {
        return taint ? controlPlaneTaints(c.kubernetesVersion()) : List.of();
    }

    /** Load balancer host, user SANs, the node's addresses; duplicates dropped, order kept. */
    static List<String> certSans(ClusterSettings c, NodeSettings node) {
        Set<String> sans = new LinkedHashSet<>();
        sans.add(Endpoints.host(c.controlPlaneEndpoint()));
        sans.addAll(c.certSans());
        sans.add(node.privateAddress());
        if (node.publicAddress() != null) {
            sans.add(node.publicAddress());
        }
        return new ArrayList<>(sans);
    }
}
