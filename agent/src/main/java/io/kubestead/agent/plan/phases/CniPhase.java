package io.kubestead.agent.plan.phases;

import io.kubestead.agent.cni.FlannelManifest;
import io.kubestead.agent.kubeadm.Kubeadm;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;

/** The pod network from the manifest shipped in the agent (and its images in the air-gap bundle). */
final class CniPhase implements Phase {
    private final String podCidr;

    CniPhase(String podCidr) {
        this.podCidr = podCidr;
    }

    @Override
    public String id() {
        return "cni";
    }

    @Override
    public String title() {
        return "Install the pod network (Flannel)";
    }

    @Override
    public void run(PhaseContext ctx) {
        ctx.host().writeString(FlannelManifest.PATH,
                FlannelManifest.render(podCidr, FlannelManifest.FLANNEL_IMAGE, FlannelManifest.CNI_PLUGIN_IMAGE), 0644);
        ctx.host().run("kubectl", "--kubeconfig", Kubeadm.ADMIN_KUBECONFIG, "apply", "-f", FlannelManifest.PATH).check();
    }
}
