package io.kubestead.agent.lb;

import io.kubestead.agent.spec.HostPort;
import io.kubestead.agent.spec.LoadBalancer;

/** Settings as the install words would choose them (spec's LoadBalancer record, stable name by cluster name). */
final class Settings {
    private Settings() {
    }

    static LbSettings internal(String cluster) {
        return of(cluster, new LoadBalancer(LoadBalancer.Mode.INTERNAL, null, 6444, null, "test"), null);
    }

    static LbSettings external(String cluster, String address) {
        return of(cluster, new LoadBalancer(LoadBalancer.Mode.EXTERNAL, HostPort.parse(address, 6443), 6444, null, "test"), null);
    }

    static LbSettings vip(String cluster, String vip, String nic) {
        return of(cluster, new LoadBalancer(LoadBalancer.Mode.VIP, null, 6444, vip, "test"), nic);
    }

    static LbSettings none(String cluster) {
        return of(cluster, new LoadBalancer(LoadBalancer.Mode.NONE, null, 6444, null, "test"), null);
    }

    static LbSettings of(String cluster, LoadBalancer lb, String nic) {
        return LbSettings.of(lb, cluster, "api." + cluster + ".kubestead.internal", nic, null);
    }
}
