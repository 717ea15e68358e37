package io.kubestead.agent.join;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.kubeadm.BootstrapToken;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * What a joining master needs to go through the {@link ControlPlaneJoinGate} before kubeadm join has given it
 * any credentials: the API (bootstrap-token auth, pinned cluster CA) for the lock, and etcd (client certificate
 * minted from the etcd CA in kubeadm-certs) for the health and learner checks. Built from the join words alone.
 */
public final class ControlPlaneAccess {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** How long an unreachable API endpoint is retried before the join gives up. */
    public static final Duration PATIENCE = Duration.ofMinutes(2);

    /** Opens access for a target; the product connects for real, tests point the target at loopback stand-ins. */
    @FunctionalInterface
    public interface Connector {
        ControlPlaneAccess connect(ControlPlaneTarget target, Consumer<String> progress);

        static Connector real() {
            return (target, progress) -> ControlPlaneAccess.connect(target, Clock.systemUTC(), Sleeper.system(),
                    new SecureRandom(), TIMEOUT, PATIENCE, progress);
        }
    }

    private final KubeApi api;
    private final EtcdClient etcd;
    private final String clusterCa;

    public ControlPlaneAccess(KubeApi api, EtcdClient etcd, String clusterCa) {
        this.api = api;
        this.etcd = etcd;
        this.clusterCa = clusterCa;
    }

    /**
     * Pins the cluster CA through cluster-info (signed for the token, CA matching the pin), reads and decrypts the
     * etcd CA from kubeadm-certs with the token and certificate key, and mints a one-hour etcd client certificate
     * in memory. An API endpoint that does not answer yet is retried for {@code patience}.
     *
     * @throws JoinGateException a cluster-info not signed for the token, a CA that does not match the pin, an
     *         unreachable API server, or (with the join-script instruction) a token or certificate key that no longer
     *         works
     */
    public static ControlPlaneAccess connect(ControlPlaneTarget target, Clock clock, Sleeper sleeper, SecureRandom random,
            Duration timeout, Duration patience, Consumer<String> progress) {
        String ca = ClusterInfo.pinnedCa(target.api(), BootstrapToken.parse(target.token()), target.caHash(), timeout,
                patience, clock, sleeper, progress);
        progress.accept("the API server at " + target.api() + " serves a cluster-info signed for the join token, with"
                + " the cluster CA the join command pins");
        KubeApi api = new HttpKubeApi(target.api(), ca, target.token(), timeout);
        ObjectNode certs;
        try {
            certs = api.get(KubeadmCerts.PATH).orElseThrow(() -> new JoinGateException(
                    "the Secret kube-system/kubeadm-certs is gone (kubeadm deletes it 2 hours after upload); "
                            + ExpiredCredentials.instruction(ExpiredCredentials.Role.MASTER)));
        } catch (KubeApiException e) {
            if (e.status() == 401 || e.status() == 403) {
                throw new JoinGateException("the API server refused the join token (HTTP " + e.status() + "); "
                        + ExpiredCredentials.instruction(ExpiredCredentials.Role.MASTER), e);
            }
            throw new JoinGateException("cannot read kube-system/kubeadm-certs: " + e.getMessage(), e);
        }
        SSLContext etcdTls = EtcdJoinCredentials.tls(KubeadmCerts.file(certs, "etcd-ca.crt", target.certificateKey()),
                KubeadmCerts.file(certs, "etcd-ca.key", target.certificateKey()), clock.instant(), random);
        progress.accept("decrypted the etcd CA from kube-system/kubeadm-certs; etcd checks go to " + target.etcd());
        return new ControlPlaneAccess(api, new EtcdClient(target.etcd(), etcdTls, timeout), ca);
    }

    /** The API server, authenticated by the bootstrap token. */
    public KubeApi api() {
        return api;
    }

    public EtcdClient etcd() {
        return etcd;
    }

    /** The pinned cluster CA (PEM). */
    public String clusterCa() {
        return clusterCa;
    }

    /** The cluster-wide join lock on this API. */
    public ClusterLock lock(Clock clock) {
        return new LeaseLock(api, clock);
    }
}
