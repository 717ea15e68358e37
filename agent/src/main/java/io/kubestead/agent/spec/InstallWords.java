package io.kubestead.agent.spec;

import java.util.List;

/** The words {@code kubestead install} takes. Help text is generated from this list. */
public final class InstallWords {
    private InstallWords() {
    }

    /** The preflight check whose name, given to preflight-ignore=, keeps a cgroup v1 host knowingly. */
    public static final String CGROUPS_CHECK = "cgroups";

    public static final List<WordDef> ALL = List.of(
            WordDef.flag("ha", "highly available control plane: more masters can join; asks for a load balancer"),
            WordDef.value("load-balancer-address", "HOST[:PORT]",
                    "your TCP load balancer in front of every master's 6443 (DNS name or IP, IPv6 in brackets; port 6443 by default)"),
            WordDef.value("internal-load-balancer-port", "PORT",
                    "loopback port of the internal load balancer on every node (default 6444)"),
            WordDef.value("vip", "IP", "a virtual IP that keepalived moves among the masters (one L2 segment, no balancer)"),
            WordDef.flag("taint-control-plane", "keep workloads off the masters (NoSchedule taint); add workers before apps"),
            WordDef.flag("airgap", "install from the air-gap bundle beside install.sh; no network access"),
            BundleTrust.KEY_WORD,
            BundleTrust.SKIP_WORD,
            WordDef.value("kubernetes-version", "1.N[.P]", "Kubernetes version to install (with airgap: the bundle's by default)"),
            WordDef.value("node-name", "NAME", "this node's name (default: the host name, lower-cased)"),
            WordDef.value("private-address", "IP", "address the cluster uses to reach this node (default: the host's primary address)"),
            WordDef.value("public-address", "IP", "another address of this node, added to the API server certificate"),
            WordDef.value("cert-sans", "NAME,...", "extra names or IPs for the API server certificate"),
            WordDef.value("pod-cidr", "CIDR", "pod network (default 10.244.0.0/16)"),
            WordDef.value("service-cidr", "CIDR", "service network (default 10.96.0.0/12)"),
            WordDef.value("cluster-name", "NAME", "cluster name in kubeconfigs (default kubernetes)"),
            WordDef.value("api-name", "DNS-NAME",
                    "stable name of the API on every node, resolved through /etc/hosts (default api.<cluster-name>.kubestead.internal)"),
            WordDef.value("key-algorithm", "ALG", "rsa-2048 (default), rsa-3072, rsa-4096 or ecdsa-p256"),
            WordDef.value("ca-validity-days", "DAYS", "validity of new CAs (default 3650)"),
            WordDef.value("cert-validity-days", "DAYS", "validity of certificates and kubeconfigs (default 365)"),
            WordDef.value("ca-cert", "FILE", "bring your own cluster CA certificate (with ca-key)"),
            WordDef.value("ca-key", "FILE", "the key of ca-cert"),
            WordDef.value("etcd-ca-cert", "FILE", "bring your own etcd CA certificate (with etcd-ca-key)"),
            WordDef.value("etcd-ca-key", "FILE", "the key of etcd-ca-cert"),
            WordDef.value("front-proxy-ca-cert", "FILE", "bring your own front-proxy CA certificate (with front-proxy-ca-key)"),
            WordDef.value("front-proxy-ca-key", "FILE", "the key of front-proxy-ca-cert"),
            WordDef.value("preflight-ignore", "CHECK,...", "skip the named preflight checks"),
            WordDef.value("bundle-server-port", "PORT",
                    "with airgap: port the masters serve the bundle on to joining hosts (default 6446)"),
            WordDef.value("console", "on|off", "the web console on this master, https on console-port (default on)"),
            WordDef.value("console-port", "PORT", "port of the console (default 8800)"),
            WordDef.value("console-password-file", "FILE",
                    "the console password is FILE's first line (12-256 characters); default: one is generated and shown once"),
            WordDef.value("console-ssh-identity", "FILE",
                    "private key the console's Add over SSH logs in with (default: root's ~/.ssh/id_ed25519, id_ecdsa, id_rsa)"),
            WordDef.value("token-ttl", "DURATION", "lifetime of the join token, e.g. 24h (default), 2h30m"),
            WordDef.value("purge-after", "DURATION",
                    "with ha: purge a node NotReady this long (default 1h; 0 turns it off; at least 5m)"),
            WordDef.value("etcd-backup", "INTERVAL",
                    "how often this master saves an etcd snapshot under /var/lib/kubestead/backups (default 6h; 0: never)"),
            WordDef.flag("yes", "answer yes to every question: no prompts, no 'Continue?' before a real install; needed when there is no terminal to ask on"),
            WordDef.optionalValue("dry-run", "DIR",
                    "write everything under DIR (default ./kubestead-dry-run) instead of the host; needs no root"));
}
