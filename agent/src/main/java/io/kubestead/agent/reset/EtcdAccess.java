package io.kubestead.agent.reset;

import java.net.URI;

/**
 * How a master reaches its local etcd: the client URL and the client certificate files (host paths). The defaults
 * are kubeadm's: etcd on https://127.0.0.1:2379 and the healthcheck client certificate, which etcd accepts for
 * the cluster API; a test points the endpoint at its own etcd.
 */
public record EtcdAccess(URI endpoint, String caFile, String certFile, String keyFile) {
    public static final URI LOCAL_ENDPOINT = URI.create("https://127.0.0.1:2379");

    public static EtcdAccess kubeadm() {
        return new EtcdAccess(LOCAL_ENDPOINT, "/etc/kubernetes/pki/etcd/ca.crt",
                "/etc/kubernetes/pki/etcd/healthcheck-client.crt", "/etc/kubernetes/pki/etcd/healthcheck-client.key");
    }

    public EtcdAccess withEndpoint(URI other) {
        return new EtcdAccess(other, caFile, certFile, keyFile);
    }
}
