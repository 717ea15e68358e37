package io.kubestead.agent.kubeadm.validate;

import io.kubestead.agent.kubeadm.BootstrapToken;
import io.kubestead.agent.kubeadm.CertificateKey;
import io.kubestead.agent.kubeadm.Endpoints;
import io.kubestead.agent.version.KubernetesVersion;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Value rules kubeadm's validation applies (and a few it only warns about): formats of tokens, keys, hashes,
 * addresses, CIDRs, taints and version-gated values. Secret values are never echoed in messages.
 */
final class SemanticChecks {
    private static final Pattern CA_CERT_HASH = Pattern.compile("\\Asha256:[0-9a-fA-F]{64}\\z");
    private static final Pattern TOKEN_GROUP = Pattern.compile("\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z");
    private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    private final KubernetesVersion kubeadm;
    private final List<String> errors;

    SemanticChecks(KubernetesVersion kubeadm, List<String> errors) {
        this.kubeadm = kubeadm;
        this.errors = errors;
    }

    void check(String kind, Map<String, Object> doc) {
        switch (kind) {
            case "InitConfiguration" -> init(doc);
            case "ClusterConfiguration" -> cluster(doc);
            case "JoinConfiguration" -> join(doc);
            case "KubeletConfiguration" -> oneOf(doc, "cgroupDriver", Set.of("systemd", "cgroupfs"));
            case "KubeProxyConfiguration" -> {
                oneOf(doc, "mode", kubeadm.atLeast(29) ? Set.of("", "iptables", "ipvs", "nftables")
                        : Set.of("", "iptables", "ipvs"));
                cidr(doc, "clusterCIDR");
            }
            default -> { }
        }
    }

    private void init(Map<String, Object> doc) {
        List<Object> tokens = list(doc, "bootstrapTokens");
        for (int i = 0; i < tokens.size(); i++) {
            if (!(tokens.get(i) instanceof Map<?, ?> t)) {
                continue;
            }
            String p = "bootstrapTokens[" + i + "]";
            token(t.get("token"), p + ".token");
            for (Object u : t.get("usages") instanceof List<?> l ? l : List.of()) {
                if (!Set.of("signing", "authentication").contains(u)) {
                    errors.add(p + ".usages: unknown usage " + u + " (signing, authentication)");
                }
            }
            for (Object g : t.get("groups") instanceof List<?> l ? l : List.of()) {
                if (!(g instanceof String s) || !TOKEN_GROUP.matcher(s).matches()) {
                    errors.add(p + ".groups: " + g + " does not match " + TOKEN_GROUP.pattern());
                }
            }
        }
        nodeRegistration(doc);
        apiEndpoint(doc, "localAPIEndpoint");
        certificateKey(doc, "certificateKey");
    }

    private void cluster(Map<String, Object> doc) {
        Object version = get(doc, "kubernetesVersion");
        if (version instanceof String v) {
            try {
                KubernetesVersion k = KubernetesVersion.parse(v);
                if (k.major() != 1 || k.minor() > kubeadm.minor() || k.minor() < kubeadm.minor() - 1) {
                    errors.add("kubernetesVersion: kubeadm v" + kubeadm + " deploys control plane 1."
                            + (kubeadm.minor() - 1) + " or 1." + kubeadm.minor() + ", not " + v);
                }
            } catch (IllegalArgumentException e) {
                errors.add("kubernetesVersion: not a version: " + v);
            }
        }
        if (get(doc, "controlPlaneEndpoint") instanceof String e && !e.isEmpty() && !Endpoints.isEndpoint(e)) {
            errors.add("controlPlaneEndpoint: " + e + " is not an IP or RFC 1123 name with an optional port");
        }
        cidr(doc, "networking.podSubnet");
        cidr(doc, "networking.serviceSubnet");
        if (get(doc, "networking.dnsDomain") instanceof String d && !Endpoints.isDnsSubdomain(d)) {
            errors.add("networking.dnsDomain: " + d + " is not an RFC 1123 name");
        }
        for (Object san : list(doc, "apiServer.certSANs")) {
            if (!(san instanceof String s) || !(Endpoints.isIp(s) || Endpoints.isDnsSubdomain(s.replaceFirst("^\\*\\.", "")))) {
                errors.add("apiServer.certSANs: " + san + " is neither an IP address nor a DNS name");
            }
        }
        if (get(doc, "etcd.local") != null && get(doc, "etcd.external") != null) {
            errors.add("etcd: local and external are mutually exclusive");
        }
        if (get(doc, "etcd.external.httpEndpoints") != null && !kubeadm.atLeast(35)) {
            errors.add("etcd.external.httpEndpoints: needs kubeadm 1.35");
        }
        Set<String> algorithms = kubeadm.atLeast(34)
                ? Set.of("RSA-2048", "RSA-3072", "RSA-4096", "ECDSA-P256", "ECDSA-P384")
                : Set.of("RSA-2048", "RSA-3072", "RSA-4096", "ECDSA-P256");
        oneOf(doc, "encryptionAlgorithm", algorithms);
    }

    private void join(Map<String, Object> doc) {
        nodeRegistration(doc);
        Object bootstrap = get(doc, "discovery.bootstrapToken");
        Object file = get(doc, "discovery.file");
        if ((bootstrap == null) == (file == null)) {
            errors.add("discovery: exactly one of bootstrapToken and file must be set");
        }
        if (bootstrap instanceof Map<?, ?>) {
            token(get(doc, "discovery.bootstrapToken.token"), "discovery.bootstrapToken.token");
            Object endpoint = get(doc, "discovery.bootstrapToken.apiServerEndpoint");
            if (!(endpoint instanceof String e) || !Endpoints.isEndpoint(e) || Endpoints.port(e) < 0) {
                errors.add("discovery.bootstrapToken.apiServerEndpoint: must be host:port, got " + endpoint);
            }
            List<Object> hashes = list(doc, "discovery.bootstrapToken.caCertHashes");
            if (hashes.isEmpty() && !Boolean.TRUE.equals(get(doc, "discovery.bootstrapToken.unsafeSkipCAVerification"))) {
                errors.add("discovery.bootstrapToken: using token-based discovery without caCertHashes can be unsafe;"
                        + " set caCertHashes or unsafeSkipCAVerification");
            }
            for (Object h : hashes) {
                if (!(h instanceof String s) || !CA_CERT_HASH.matcher(s).matches()) {
                    errors.add("discovery.bootstrapToken.caCertHashes: " + h + " is not sha256:<64 hex characters>");
                }
            }
        }
        if (get(doc, "discovery.tlsBootstrapToken") != null) {
            token(get(doc, "discovery.tlsBootstrapToken"), "discovery.tlsBootstrapToken");
        }
        if (get(doc, "controlPlane") instanceof Map<?, ?>) {
            apiEndpoint(doc, "controlPlane.localAPIEndpoint");
            certificateKey(doc, "controlPlane.certificateKey");
        }
    }

    private void nodeRegistration(Map<String, Object> doc) {
        if (get(doc, "nodeRegistration.name") instanceof String n && !Endpoints.isDnsSubdomain(n)) {
            errors.add("nodeRegistration.name: " + n + " is not a lowercase RFC 1123 name");
        }
        if (get(doc, "nodeRegistration.criSocket") instanceof String s && !s.matches("(unix|npipe)://.+")) {
            errors.add("nodeRegistration.criSocket: " + s + " is not a unix:// URL");
        }
        List<Object> taints = list(doc, "nodeRegistration.taints");
        for (int i = 0; i < taints.size(); i++) {
            if (taints.get(i) instanceof Map<?, ?> t && !EFFECTS.contains(t.get("effect"))) {
                errors.add("nodeRegistration.taints[" + i + "].effect: " + t.get("effect") + " is not one of " + EFFECTS);
            }
        }
    }

    private void apiEndpoint(Map<String, Object> doc, String path) {
        if (get(doc, path + ".advertiseAddress") instanceof String a && !Endpoints.isIp(a)) {
            errors.add(path + ".advertiseAddress: " + a + " is not a valid IP address");
        }
        if (get(doc, path + ".bindPort") instanceof Number p && (p.intValue() < 1 || p.intValue() > 65535)) {
            errors.add(path + ".bindPort: " + p + " is not a port (1-65535)");
        }
    }

    private void token(Object value, String path) {
        if (!(value instanceof String s) || !BootstrapToken.isValid(s)) {
            errors.add(path + ": the bootstrap token is invalid (expected [a-z0-9]{6}.[a-z0-9]{16})");
        }
    }

    private void certificateKey(Map<String, Object> doc, String path) {
        Object key = get(doc, path);
        if (key != null && (!(key instanceof String s) || !CertificateKey.isValid(s.toLowerCase(java.util.Locale.ROOT)))) {
            errors.add(path + ": the certificate key is invalid (expected 64 hex characters, 32 bytes)");
        }
    }

    private void cidr(Map<String, Object> doc, String path) {
        if (get(doc, path) instanceof String c && !c.isEmpty() && !Endpoints.isCidrList(c)) {
            errors.add(path + ": " + c + " is not a valid CIDR");
        }
    }

    private void oneOf(Map<String, Object> doc, String path, Set<String> allowed) {
        Object v = get(doc, path);
        if (v != null && !allowed.contains(v)) {
            errors.add(path + ": " + v + " is not one of " + new java.util.TreeSet<>(allowed));
        }
    }

    static Object get(Map<String, Object> doc, String dottedPath) {
        Object cur = doc;
        for (String part : dottedPath.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(part);
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> doc, String dottedPath) {
        return get(doc, dottedPath) instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
