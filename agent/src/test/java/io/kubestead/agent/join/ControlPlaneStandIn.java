package io.kubestead.agent.join;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.EtcdTestCluster;
import io.kubestead.agent.etcd.PemTls;
import io.kubestead.agent.pki.CaKind;
import io.kubestead.agent.pki.CaPair;
import io.kubestead.agent.pki.CertIssuer;
import io.kubestead.agent.pki.CertUsage;
import io.kubestead.agent.pki.KeyAlgorithm;
import io.kubestead.agent.pki.Pem;
import io.kubestead.agent.pki.SubjectAltNames;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An existing control plane as a joining master sees it, on loopback only: an HTTPS API stand-in serving
 * cluster-info (the given cluster CA, signed for the given token as the bootstrap signer does), kubeadm-certs (the etcd CA, encrypted with the certificate key) and the
 * Lease, with a serving certificate from the cluster CA; and a real one-member etcd cluster "cp-1" whose CA is
 * the one in kubeadm-certs. {@link #connector()} runs the real {@link ControlPlaneAccess#connect} with the
 * target's addresses swapped for these.
 */
public final class ControlPlaneStandIn implements AutoCloseable {
    /** Short gate timeouts for tests. */
    public static final JoinGateSettings FAST = new JoinGateSettings(Duration.ofSeconds(3), Duration.ofSeconds(60),
            Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofMillis(50),
            Duration.ofMillis(200));

    private final EtcdTestCluster etcd;
    private final EtcdTestCluster.Node first;
    private final FakeApiServer api;
    private final List<ControlPlaneTarget> targets = Collections.synchronizedList(new ArrayList<>());

    public ControlPlaneStandIn(Path dir, String clusterCaPem, String clusterCaKeyPem, String token, String certificateKey)
            throws Exception {
        etcd = new EtcdTestCluster(dir.resolve("etcd"));
        EtcdTestCluster.Node started = null;
        FakeApiServer server = null;
        try {
            started = etcd.startFirst("cp-1");
            server = new FakeApiServer(servingTls(clusterCaPem, clusterCaKeyPem), token);
            server.store().create("/api/v1/namespaces/kube-public/configmaps",
                    KubeadmCertsFixture.clusterInfo(clusterCaPem, "https://api.kubernetes.kubestead.internal:6443", token));
            Map<String, String> files = new LinkedHashMap<>();
            files.put("ca.crt", clusterCaPem);
            files.put("etcd-ca.crt", Files.readString(etcd.pki().caFile()));
            files.put("etcd-ca.key", etcd.pki().caKeyPem());
            server.store().create("/api/v1/namespaces/kube-system/secrets",
                    KubeadmCertsFixture.kubeadmCerts(files, certificateKey));
        } catch (Exception | Error e) {
            if (server != null) {
                server.close();
            }
            etcd.close();
            throw e;
        }
        first = started;
        api = server;
    }

    /** The real connect, against these stand-ins; remembers each target it was asked for. */
    public ControlPlaneAccess.Connector connector() {
        return connector(Duration.ofSeconds(10));
    }

    /** The same, giving up on an unreachable API or an unsigned cluster-info after {@code patience}. */
    public ControlPlaneAccess.Connector connector(Duration patience) {
        return (target, progress) -> {
            targets.add(target);
            return ControlPlaneAccess.connect(target.at(api.uri(), List.of(URI.create(first.clientUrl()))),
                    Clock.systemUTC(), Sleeper.system(), new SecureRandom(), Duration.ofSeconds(5), patience, progress);
        };
    }

    /** The cluster-info ConfigMap as served now. */
    public ObjectNode clusterInfo() {
        return api.store().get(ClusterInfo.PATH).orElseThrow();
    }

    /** Serves {@code configMap} as cluster-info from now on (e.g. one altered on the way). */
    public void serveClusterInfo(ObjectNode configMap) {
        ObjectNode next = configMap.deepCopy();
        ((ObjectNode) next.path("metadata")).put("resourceVersion", clusterInfo().path("metadata").path("resourceVersion").asText());
        api.store().update(ClusterInfo.PATH, next);
    }

    public List<ControlPlaneTarget> targets() {
        return List.copyOf(targets);
    }

    public FakeApiServer api() {
        return api;
    }

    /** An etcd client with a test identity (not the joiner's), for assertions. */
    public EtcdClient etcdClient() {
        return etcd.client(first);
    }

    /** What kubeadm join does to etcd on a master: add a learner, start the member, promote it. */
    public void kubeadmEtcdJoin(String nodeName) {
        new KubeadmEtcdJoin(etcd, etcd.client(first)).join(nodeName, Duration.ofSeconds(15));
    }

    @Override
    public void close() {
        api.close();
        etcd.close();
    }

    /** A serving certificate for 127.0.0.1 from the cluster CA, as the API server's certificate is. */
    private static javax.net.ssl.SSLContext servingTls(String caPem, String caKeyPem) throws Exception {
        X509Certificate ca = Pem.certificate(caPem.getBytes(StandardCharsets.US_ASCII));
        CaPair pair = new CaPair(CaKind.CA, ca, Pem.privateKey(caKeyPem.getBytes(StandardCharsets.US_ASCII)));
        KeyPair keys = KeyAlgorithm.ECDSA_P256.generate(new SecureRandom());
        X509Certificate cert = new CertIssuer(new SecureRandom()).leaf(CertIssuer.name("kube-apiserver", List.of()),
                CertUsage.SERVER, new SubjectAltNames(List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1"))),
                keys.getPublic(), pair, Instant.now(), Duration.ofHours(1));
        return PemTls.mutual(caPem, new String(Pem.certificate(cert), StandardCharsets.US_ASCII),
                new String(Pem.privateKey(keys), StandardCharsets.US_ASCII));
    }
}
