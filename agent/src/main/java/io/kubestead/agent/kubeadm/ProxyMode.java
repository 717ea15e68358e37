package io.kubestead.agent.kubeadm;

/** kube-proxy's data plane, written to KubeProxyConfiguration.mode. */
public enum ProxyMode {
    IPTABLES("iptables"),
    IPVS("ipvs");

    private final String word;

    ProxyMode(String word) {
        this.word = word;
    }

    /** The value kube-proxy expects, e.g. {@code ipvs}. */
    public String word() {
        return word;
    }

    /** The mode for a word such as {@code ipvs}, or an error naming the valid words. */
    public static ProxyMode of(String word) {
        for (ProxyMode m : values()) {
            if (m.word.equals(word)) {
                return m;
            }
        }
        throw new IllegalArgumentException("kube-proxy mode must be iptables or ipvs, not '" + word + "'");
    }
}
