package io.kubestead.agent.plan.phases;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.join.Sleeper;
import io.kubestead.agent.kubeadm.Kubeadm;
import io.kubestead.agent.reset.EtcdAccess;
import io.kubestead.agent.reset.ResetReport;
import io.kubestead.agent.reset.ResetTarget;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the reset plan needs: the node being reset, whether {@code force} was given, how to reach the local etcd
 * (kubeadm's paths by default), kubeadm, the user behind sudo (whose kubeconfig may be our copy), etcd patience,
 * and the report the phases fill for the summary.
 */
public record ResetContext(ResetTarget target, boolean force, EtcdAccess etcd, Function<Host, Kubeadm> kubeadm,
                           Optional<String> sudoUser, Duration etcdTimeout, Duration etcdRetry, Sleeper sleeper,
                           ResetReport report) {
}
