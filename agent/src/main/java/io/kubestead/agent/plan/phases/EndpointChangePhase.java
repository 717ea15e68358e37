package io.kubestead.agent.plan.phases;

import io.kubestead.agent.host.Command;
import io.kubestead.agent.kubeadm.Kubeadm;
import io.kubestead.agent.kubeadm.KubeadmConfigRenderer;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.spec.HostPort;

/**
 * A rerun that moved the API endpoint (another balancer, another port): the cluster's own records of it follow.
 * kubeadm's phases rewrite the kubeadm-config and cluster-info ConfigMaps and kube-proxy's kubeconfig from the
 * new configuration; kube-proxy restarts to read it. This master's certificates and kubeconfigs were already
 * reissued by the pki phase, and its /etc/hosts and balancer by lb/prepare.
 */
final class EndpointChangePhase implements Phase {
    private final HostPort from;
    private final HostPort to;

    EndpointChangePhase(HostPort from, HostPort to) {
        this.from = from;
        this.to = to;
    }

    @Override
    public String id() {
        return "cluster/endpoint";
    }

    @Override
    public String title() {
        return "Move the cluster's records of its API endpoint from " + from + " to " + to;
    }

    @Override
    public void run(PhaseContext ctx) {
        String config = KubeadmConfigRenderer.INIT_CONFIG_PATH;
        ctx.host().run("kubeadm", "init", "phase", "upload-config", "kubeadm", "--config", config).check();
        ctx.host().run("kubeadm", "init", "phase", "bootstrap-token", "--config", config, "--skip-token-print").check();
        ctx.host().run("kubeadm", "init", "phase", "addon", "kube-proxy", "--config", config).check();
        ctx.host().run(Command.of("kubectl", "--kubeconfig", Kubeadm.ADMIN_KUBECONFIG, "-n", "kube-system", "rollout",
                "restart", "daemonset/kube-proxy")).check();
        ctx.host().run("systemctl", "restart", "kubelet").check();
    }
}
