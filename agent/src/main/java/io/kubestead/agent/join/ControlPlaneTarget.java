package io.kubestead.agent.join;

import io.kubestead.agent.spec.JoinSpec;
import java.net.URI;
import java.util.List;

/**
 * Where and with what a joining master reaches the cluster before it is part of it: the API endpoint, the
 * bootstrap token, the CA pin, the certificate key and the existing masters' etcd client URLs. Secrets are
 * never part of {@link #toString()}.
 */
public record ControlPlaneTarget(URI api, String token, String caHash, String certificateKey, List<URI> etcd) {
    public ControlPlaneTarget {
        etcd = List.copyOf(etcd);
    }

    /** From the join words: {@code https://<endpoint>} and {@code https://<master>:2379} for each master. */
    public static ControlPlaneTarget of(JoinSpec spec) {
        if (!spec.controlPlane()) {
            throw new IllegalArgumentException("only a joining master uses the control-plane join gate");
        }
        List<URI> etcd = spec.etcdEndpoints().stream().map(URI::create).toList();
        if (etcd.isEmpty()) {
            throw new JoinGateException("the join command names no master for the etcd checks (no masters=IP,...); "
                    + "run 'kubestead join-script master' on a master for a current command");
        }
        return new ControlPlaneTarget(URI.create("https://" + spec.endpoint()), spec.token(), spec.caHash(),
                spec.certificateKey(), etcd);
    }

    /** The same credentials against other addresses (tests: loopback stand-ins). */
    public ControlPlaneTarget at(URI otherApi, List<URI> otherEtcd) {
        return new ControlPlaneTarget(otherApi, token, caHash, certificateKey, otherEtcd);
    }

    @Override
    public String toString() {
        return "ControlPlaneTarget[api=" + api + ", etcd=" + etcd + ", caHash=" + caHash + "]";
    }
}
