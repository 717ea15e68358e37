package io.kubestead.agent.kubeadm;

import io.kubestead.agent.version.KubernetesVersion;
import java.time.Duration;
import java.util.List;

/** Fixed inputs for renderer and validator tests: an HA cluster behind an external load balancer. */
final class Fixtures {
    static final BootstrapToken TOKEN = BootstrapToken.parse("abcdef.0123456789abcdef");
    static final CertificateKey KEY =
            CertificateKey.parse("0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0");
    static final String HASH = "sha256:" + "7c".repeat(32);
    static final NodeSettings MASTER1 = new NodeSettings("master-1", "10.0.0.11", "203.0.113.11");
    static final NodeSettings MASTER2 = new NodeSettings("master-2", "10.0.0.12", null);
    static final NodeSettings WORKER = new NodeSettings("worker-1", "10.0.0.21", null);

    private Fixtures() {
    }

    /** External LB 10.0.0.10:6443, a user SAN, optionally tainted masters. */
    static ClusterSettings cluster(String version, boolean taint) {
        KubernetesVersion v = KubernetesVersion.parse(version);
        return new ClusterSettings(v, "prod", "10.0.0.10:6443", List.of("k8s.example.com"), "10.244.0.0/16",
                null, null, null, null, taint, null, null, null, ProxyMode.IPVS);
    }

    static InitConfigInput init(ClusterSettings c) {
        return new InitConfigInput(c, MASTER1, TOKEN, Duration.ofHours(2), KEY);
    }

    static JoinConfigInput joinMaster(String version, boolean taint) {
        return JoinConfigInput.controlPlane(KubernetesVersion.parse(version), MASTER2, "10.0.0.10:6443", TOKEN,
                List.of(HASH), KEY, taint);
    }

    static JoinConfigInput joinWorker(String version) {
        return JoinConfigInput.worker(KubernetesVersion.parse(version), WORKER, "10.0.0.10:6443", TOKEN,
                List.of(HASH));
    }
}
