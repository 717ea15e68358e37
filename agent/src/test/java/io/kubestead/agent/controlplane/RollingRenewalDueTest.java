package io.kubestead.agent.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.ProcessRunner;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.pki.CertIssuer;
import io.kubestead.agent.pki.KeyAlgorithm;
import io.kubestead.agent.pki.KeyPool;
import io.kubestead.agent.pki.Pki;
import io.kubestead.agent.pki.PkiRequest;
import io.kubestead.agent.pki.Renewal;
import io.kubestead.agent.version.KubernetesVersion;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which certificates the daily check renews, and which components each one makes it restart. */
class RollingRenewalDueTest {
    @TempDir
    Path tmp;

    @Test
    void onlyCertificatesUnderThirtyDaysAreDueKubeconfigsIncluded() {
        RootedHost host = new RootedHost("t", tmp, new ProcessRunner(), new ActionLog());
        Pki.create().ensure(host, PkiRequest.defaults("cp1", "10.0.0.11", KubernetesVersion.parse("1.33.0"))
                .withKeyAlgorithm(KeyAlgorithm.ECDSA_P256));
        Instant now = Instant.now();
        assertEquals(List.of(), RollingRenewal.due(host, now));
        Renewal renewal = new Renewal(new KeyPool(1), new CertIssuer(new SecureRandom()));
        renewal.renew(host, "scheduler.conf", now, Duration.ofDays(29));
        renewal.renew(host, "front-proxy-client", now, Duration.ofDays(20));
        renewal.renew(host, "apiserver", now, Duration.ofDays(31));
        assertEquals(List.of("front-proxy-client", "scheduler.conf"), RollingRenewal.due(host, now));
        // a year on, everything this host signs is due
        assertTrue(RollingRenewal.due(host, now.plus(Duration.ofDays(400))).size() >= 10);
    }

    @Test
    void etcdAndAdminCertificatesRestartNothing() {
        assertEquals(Set.of(LocalControlPlane.API_SERVER), RollingRenewal.readers("front-proxy-client"));
        assertEquals(Set.of(LocalControlPlane.API_SERVER), RollingRenewal.readers("apiserver-etcd-client"));
        assertEquals(Set.of(LocalControlPlane.SCHEDULER), RollingRenewal.readers("scheduler.conf"));
        assertEquals(Set.of(LocalControlPlane.CONTROLLER_MANAGER), RollingRenewal.readers("controller-manager.conf"));
        assertEquals(Set.of(), RollingRenewal.readers("etcd-server"));
        assertEquals(Set.of(), RollingRenewal.readers("admin.conf"));
        assertEquals(3, RollingRenewal.readers("all").size());
    }
}
