package io.kubestead.agent.lb;

/**
 * Where the balancer files live on a host. {@link #standard()} in production; tests put them under a temporary
 * directory so a real haproxy can read what was written.
 */
public record LbPaths(String haproxyDir, String haproxyManifest, String hostsFile, String keepalivedConfig,
                      String bootstrapPidFile) {

    public static LbPaths standard() {
        return new LbPaths("/etc/kubestead/haproxy", "/etc/kubernetes/manifests/haproxy.yaml", "/etc/hosts",
                "/etc/keepalived/keepalived.conf", "/run/kubestead/haproxy-bootstrap.pid");
    }

    /** The same layout below {@code prefix}, e.g. a test's temporary directory. */
    public static LbPaths under(String prefix) {
        LbPaths s = standard();
        return new LbPaths(prefix + s.haproxyDir, prefix + s.haproxyManifest, prefix + s.hostsFile,
                prefix + s.keepalivedConfig, prefix + s.bootstrapPidFile);
    }

    public String haproxyConfig() {
        return haproxyDir + "/haproxy.cfg";
    }
}
