package io.kubestead.agent.pki;

import io.kubestead.agent.spec.HostPort;
import io.kubestead.agent.spec.SpecException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** kubeadm's certificate and kubeconfig set for one control-plane node (kubeadm.md 1.1, 1.2 and 2). */
public final class KubeadmProfile {
    private final PkiRequest req;
    private final VersionRules rules;

    public KubeadmProfile(PkiRequest req) {
        this.req = req;
        this.rules = new VersionRules(req.version());
    }

    public List<CertSpec> leaves() {
        List<String> etcdClientOrg = rules.etcdClientOrg();
        SubjectAltNames etcdSans = new SubjectAltNames(List.of(req.nodeName(), "localhost"),
                List.of(ip(req.advertiseAddress(), "advertise-address"), ip("127.0.0.1", ""), ip("::1", "")));
        return List.of(
                new CertSpec("apiserver", "apiserver", "kube-apiserver", List.of(), CertUsage.SERVER, apiserverSans(), CaKind.CA),
                new CertSpec("apiserver-kubelet-client", "apiserver-kubelet-client", "kube-apiserver-kubelet-client",
                        rules.apiserverKubeletClientOrg(), CertUsage.CLIENT, SubjectAltNames.NONE, CaKind.CA),
                new CertSpec("front-proxy-client", "front-proxy-client", "front-proxy-client", List.of(), CertUsage.CLIENT,
                        SubjectAltNames.NONE, CaKind.FRONT_PROXY),
                new CertSpec("etcd-server", "etcd/server", req.nodeName(), List.of(), CertUsage.SERVER_AND_CLIENT, etcdSans, CaKind.ETCD),
                new CertSpec("etcd-peer", "etcd/peer", req.nodeName(), List.of(), CertUsage.SERVER_AND_CLIENT, etcdSans, CaKind.ETCD),
                new CertSpec("etcd-healthcheck-client", "etcd/healthcheck-client", "kube-etcd-healthcheck-client",
                        etcdClientOrg, CertUsage.CLIENT, SubjectAltNames.NONE, CaKind.ETCD),
                new CertSpec("apiserver-etcd-client", "apiserver-etcd-client", "kube-apiserver-etcd-client",
                        etcdClientOrg, CertUsage.CLIENT, SubjectAltNames.NONE, CaKind.ETCD));
    }

    /** admin, super-admin (init node, 1.29+), controller-manager, scheduler and kubelet (init node). */
    public List<KubeconfigSpec> kubeconfigs() {
        String cpe = controlPlaneUrl();
        String local = "https://" + hostPort(req.advertiseAddress(), req.bindPort());
        List<KubeconfigSpec> out = new ArrayList<>();
        out.add(new KubeconfigSpec("admin.conf", "kubernetes-admin", rules.adminOrg(), cpe));
        if (req.firstControlPlane() && rules.superAdmin()) {
            out.add(new KubeconfigSpec("super-admin.conf", "kubernetes-super-admin", List.of(VersionRules.MASTERS), cpe));
        }
        out.add(new KubeconfigSpec("controller-manager.conf", "system:kube-controller-manager", List.of(), local));
        out.add(new KubeconfigSpec("scheduler.conf", "system:kube-scheduler", List.of(), local));
        if (req.firstControlPlane()) {
            out.add(new KubeconfigSpec("kubelet.conf", "system:node:" + req.nodeName(), List.of("system:nodes"),
                    rules.kubeletLocalMode() ? local : cpe));
        }
        return out;
    }

    SubjectAltNames apiserverSans() {
        String d = req.dnsDomain();
        List<String> dns = new ArrayList<>(List.of(req.nodeName(), "kubernetes", "kubernetes.default",
                "kubernetes.default.svc", "kubernetes.default.svc." + d));
        List<InetAddress> ips = new ArrayList<>(List.of(serviceIp(), ip(req.advertiseAddress(), "advertise-address")));
        SubjectAltNames base = new SubjectAltNames(dns, ips);
        if (!req.controlPlaneEndpoint().isBlank()) {
            base = base.plus(SubjectAltNames.of(List.of(endpointHost(req.controlPlaneEndpoint())), "control-plane endpoint"));
        }
        return base.plus(SubjectAltNames.of(req.apiServerSans(), "apiserver SAN"));
    }

    /** https://controlPlaneEndpoint (bindPort added when it has none), else the local endpoint. */
    public String controlPlaneUrl() {
        String e = req.controlPlaneEndpoint();
        if (e.isBlank()) {
            return "https://" + hostPort(req.advertiseAddress(), req.bindPort());
        }
        String host = endpointHost(e);
        boolean hasPort = e.startsWith("[") ? e.contains("]:") : e.chars().filter(c -> c == ':').count() == 1;
        return "https://" + (hasPort ? e : hostPort(host, req.bindPort()));
    }

    static String endpointHost(String endpoint) {
        if (endpoint.startsWith("[")) {
            return endpoint.substring(1, endpoint.indexOf(']'));
        }
        long colons = endpoint.chars().filter(c -> c == ':').count();
        return colons == 1 ? endpoint.substring(0, endpoint.indexOf(':')) : endpoint;
    }

    static String hostPort(String host, int port) {
        return new HostPort(host, port).toString();
    }

    /** The first address of the first service CIDR (kubeadm's in-cluster API IP), e.g. 10.96.0.1. */
    InetAddress serviceIp() {
        String first = req.serviceSubnet().split(",")[0].strip();
        if (!first.contains("/")) {
            return ip(first, "service-cidr");
        }
        InetAddress net = ip(first.substring(0, first.indexOf('/')), "service-cidr");
        byte[] raw = net.getAddress();
        int prefix;
        try {
            prefix = Integer.parseInt(first.substring(first.indexOf('/') + 1));
        } catch (NumberFormatException e) {
            throw new SpecException("service-cidr " + first + " has no valid prefix length");
        }
        BigInteger mask = BigInteger.ONE.shiftLeft(raw.length * 8 - prefix).subtract(BigInteger.ONE).not();
        BigInteger v = new BigInteger(1, raw).and(mask).add(BigInteger.ONE);
        byte[] out = new byte[raw.length];
        byte[] b = v.toByteArray();
        int n = Math.min(b.length, out.length);
        System.arraycopy(b, b.length - n, out, out.length - n, n);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static InetAddress ip(String s, String what) {
        InetAddress a = SubjectAltNames.ipOrNull(s);
        if (a == null) {
            throw new SpecException(what + " '" + s + "' is not an IP address");
        }
        return a;
    }
}
