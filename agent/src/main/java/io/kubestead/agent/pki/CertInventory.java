package io.kubestead.agent.pki;

import java.util.List;
import java.util.Optional;

/**
 * The certificates {@code kubeadm certs check-expiration} and {@code renew} know, by kubeadm's names: leaf files
 * under pki/ and client certificates embedded in kubeconfigs. kubelet.conf is not listed: the kubelet rotates it.
 */
public final class CertInventory {
    /** One renewable certificate: either a pki file base name or a kubeconfig file name. */
    public record Entry(String name, String baseName, String kubeconfig, CaKind ca) {
        public boolean inKubeconfig() {
            return kubeconfig != null;
        }

        /** The host path holding the certificate. */
        public String path() {
            return inKubeconfig() ? PkiPaths.kubeconfig(kubeconfig) : PkiPaths.crt(baseName);
        }
    }

    public static final List<Entry> ENTRIES = List.of(
            kubeconfig("admin.conf"),
            leaf("apiserver", "apiserver", CaKind.CA),
            leaf("apiserver-etcd-client", "apiserver-etcd-client", CaKind.ETCD),
            leaf("apiserver-kubelet-client", "apiserver-kubelet-client", CaKind.CA),
            kubeconfig("controller-manager.conf"),
            leaf("etcd-healthcheck-client", "etcd/healthcheck-client", CaKind.ETCD),
            leaf("etcd-peer", "etcd/peer", CaKind.ETCD),
            leaf("etcd-server", "etcd/server", CaKind.ETCD),
            leaf("front-proxy-client", "front-proxy-client", CaKind.FRONT_PROXY),
            kubeconfig("scheduler.conf"),
            kubeconfig("super-admin.conf"));

    private CertInventory() {
    }

    public static Optional<Entry> find(String name) {
        return ENTRIES.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public static List<String> names() {
        return ENTRIES.stream().map(Entry::name).toList();
    }

    private static Entry leaf(String name, String baseName, CaKind ca) {
        return new Entry(name, baseName, null, ca);
    }

    private static Entry kubeconfig(String file) {
        return new Entry(file, null, file, CaKind.CA);
    }
}
