package io.kubestead.agent.plan.phases;

import io.kubestead.agent.kubeadm.Kubeadm;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Right after kubeadm init: lets joining masters, authenticated only by their bootstrap token, hold the
 * cluster-wide control-plane join lock (a Lease in kube-system). kubectl apply is idempotent, so reruns are safe.
 */
final class JoinLockRbacPhase implements Phase {
    static final String RESOURCE = "/io/kubestead/agent/join/control-plane-join-lock-rbac.yaml";
    static final String PATH = "/etc/kubestead/join-lock-rbac.yaml";

    @Override
    public String id() {
        return "post/join-lock-rbac";
    }

    @Override
    public String title() {
        return "Allow joining masters to take the control-plane join lock";
    }

    @Override
    public boolean done(PhaseContext ctx) {
        return ctx.host().exists(PATH);
    }

    @Override
    public void run(PhaseContext ctx) {
        ctx.host().writeFile(PATH, resource(), 0644);
        ctx.host().run("kubectl", "--kubeconfig", Kubeadm.ADMIN_KUBECONFIG, "apply", "-f", PATH).check();
        ctx.progress().info("joining masters (group system:bootstrappers:kubeadm:default-node-token) may now hold"
                + " the Lease kube-system/kubestead-control-plane-join");
    }

    static byte[] resource() {
        try (InputStream in = JoinLockRbacPhase.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the agent lacks " + RESOURCE + "; rebuild it");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
