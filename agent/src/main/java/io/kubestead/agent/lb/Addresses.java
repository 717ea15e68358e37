package io.kubestead.agent.lb;

/** Name and address helpers for the renderers; IP literal checks are spec's (no DNS lookups). */
final class Addresses {
    private Addresses() {
    }

    static boolean isIpv6(String s) {
        return s != null && io.kubestead.agent.spec.Addresses.isIpv6(s);
    }

    static boolean isIp(String s) {
        return s != null && io.kubestead.agent.spec.Addresses.isIp(s);
    }
}
