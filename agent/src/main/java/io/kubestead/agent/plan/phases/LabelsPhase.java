package io.kubestead.agent.plan.phases;

import io.kubestead.agent.host.Command;
import io.kubestead.agent.kubeadm.Kubeadm;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;

/** Marks the node as Kubestead's, with its role and the agent version that set it up, for operators and upgrades. */
final class LabelsPhase implements Phase {
    private final String nodeName;
    private final String role;
    private final String kubeconfig;

    LabelsPhase(String nodeName, String role, String kubeconfig) {
        this.nodeName = nodeName;
        this.role = role;
        this.kubeconfig = kubeconfig;
    }

    /** On masters admin.conf; a worker labels itself with the kubelet's credentials, which may only touch its own Node. */
    static LabelsPhase master(String nodeName) {
        return new LabelsPhase(nodeName, "master", Kubeadm.ADMIN_KUBECONFIG);
    }

    static LabelsPhase worker(String nodeName) {
        return new LabelsPhase(nodeName, "worker", "/etc/kubernetes/kubelet.conf");
    }

    @Override
    public String id() {
        return "post/labels";
    }

    @Override
    public String title() {
        return "Label the node (kubestead.io/role=" + role + ")";
    }

    @Override
    public void run(PhaseContext ctx) {
        String version = LabelsPhase.class.getPackage().getImplementationVersion();
        var r = ctx.host().run(Command.of("kubectl", "--kubeconfig", kubeconfig, "label", "node", nodeName, "--overwrite",
                "kubestead.io/role=" + role, "kubestead.io/installed-by=kubestead-" + (version == null ? "dev" : version)));
        if (!r.ok()) {
            // labels inform operators; a node that works without them must not fail its install over them
            ctx.progress().warn("could not label node " + nodeName + ": " + r.stderr().strip());
        }
    }
}
