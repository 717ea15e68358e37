package io.kubestead.agent.plan.phases;

import io.kubestead.agent.kubeadm.Kubeadm;
import io.kubestead.agent.kubeadm.KubeadmConfigRenderer;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import java.util.function.Function;

/**
 * {@code kubeadm init} with the generated configuration, uploading the control-plane certificates under the
 * certificate key so that masters can join. An init interrupted earlier is run again over what it left.
 */
final class KubeadmInitPhase implements Phase {
    static final String API_SERVER_MANIFEST = "/etc/kubernetes/manifests/kube-apiserver.yaml";
    private final Function<io.kubestead.agent.host.Host, Kubeadm> kubeadm;

    KubeadmInitPhase(Function<io.kubestead.agent.host.Host, Kubeadm> kubeadm) {
        this.kubeadm = kubeadm;
    }

    @Override
    public String id() {
        return "kubeadm/init";
    }

    @Override
    public String title() {
        return "Start the control plane with kubeadm init";
    }

    @Override
    public boolean done(PhaseContext ctx) {
        return ctx.host().exists(Kubeadm.ADMIN_KUBECONFIG) && ctx.host().exists(API_SERVER_MANIFEST);
    }

    @Override
    public void run(PhaseContext ctx) {
        Kubeadm k = kubeadm.apply(ctx.host());
        if (ctx.host().exists(API_SERVER_MANIFEST)) {
            ctx.progress().info("an earlier init was interrupted; running it again over what it left");
            k.initAgain(KubeadmConfigRenderer.INIT_CONFIG_PATH, true);
        } else {
            k.init(KubeadmConfigRenderer.INIT_CONFIG_PATH, true);
        }
    }
}
