package io.kubestead.agent.plan.phases;

import io.kubestead.agent.kubeadm.BootstrapToken;
import io.kubestead.agent.kubeadm.CertificateKey;
import io.kubestead.agent.kubeadm.JoinConfigInput;
import io.kubestead.agent.kubeadm.KubeadmConfigRenderer;
import io.kubestead.agent.kubeadm.NodeSettings;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.spec.JoinSpec;
import java.util.List;
import java.util.Optional;

/** Writes /etc/kubestead/kubeadm-join.yaml (mode 0600: token and certificate key) for this node's role. */
final class JoinConfigPhase implements Phase {
    private final JoinSpec spec;

    JoinConfigPhase(JoinSpec spec) {
        this.spec = spec;
    }

    @Override
    public String id() {
        return "kubeadm/join-config";
    }

    @Override
    public String title() {
        return "Write the kubeadm join configuration";
    }

    private boolean keepCgroupV1() {
        return NodeSettings.keepsCgroupV1(spec.preflightIgnore(), spec.kubernetesVersion());
    }

    String render() {
        NodeSettings node = new NodeSettings(spec.nodeName(), spec.privateAddress(), null, keepCgroupV1());
        BootstrapToken token = BootstrapToken.parse(spec.token());
        JoinConfigInput in = spec.controlPlane()
                ? JoinConfigInput.controlPlane(spec.kubernetesVersion(), node, spec.endpoint().toString(), token,
                        List.of(spec.caHash()), CertificateKey.parse(spec.certificateKey()), spec.taintControlPlane())
                : JoinConfigInput.worker(spec.kubernetesVersion(), node, spec.endpoint().toString(), token, List.of(spec.caHash()));
        return new KubeadmConfigRenderer().renderJoin(in);
    }

    @Override
    public boolean done(PhaseContext ctx) {
        return ctx.host().readString(KubeadmConfigRenderer.JOIN_CONFIG_PATH).equals(Optional.of(render()))
                && (!keepCgroupV1() || ctx.host().readString(KubeadmConfigRenderer.CGROUP_V1_PATCH)
                        .equals(Optional.of(KubeadmConfigRenderer.CGROUP_V1_PATCH_TEXT)));
    }

    @Override
    public void run(PhaseContext ctx) {
        if (keepCgroupV1()) {
            ctx.host().writeString(KubeadmConfigRenderer.CGROUP_V1_PATCH, KubeadmConfigRenderer.CGROUP_V1_PATCH_TEXT, 0644);
        }
        ctx.host().writeString(KubeadmConfigRenderer.JOIN_CONFIG_PATH, render(), 0600);
    }
}
