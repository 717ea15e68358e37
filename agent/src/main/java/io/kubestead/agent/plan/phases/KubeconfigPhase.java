package io.kubestead.agent.plan.phases;

import io.kubestead.agent.kubeadm.Kubeadm;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import java.util.Optional;

/** kubectl works right away: admin.conf copied to root's and the sudo user's ~/.kube/config (mode 0600). */
final class KubeconfigPhase implements Phase {
    private final Optional<String> sudoUser;

    KubeconfigPhase(Optional<String> sudoUser) {
        this.sudoUser = sudoUser.filter(u -> !u.equals("root") && u.matches("[a-z_][a-z0-9_.-]*"));
    }

    @Override
    public String id() {
        return "post/kubeconfig";
    }

    @Override
    public String title() {
        return "Give kubectl the admin kubeconfig for root" + sudoUser.map(u -> " and " + u).orElse("");
    }

    @Override
    public void run(PhaseContext ctx) {
        Optional<byte[]> admin = ctx.host().readFile(Kubeadm.ADMIN_KUBECONFIG);
        if (admin.isEmpty()) {
            ctx.progress().info(ctx.dryRun() ? "would copy " + Kubeadm.ADMIN_KUBECONFIG + " (kubeadm writes it during init)"
                    : Kubeadm.ADMIN_KUBECONFIG + " is missing; kubeadm init did not finish");
            if (!ctx.dryRun()) {
                throw new IllegalStateException(Kubeadm.ADMIN_KUBECONFIG + " is missing after kubeadm init");
            }
            return;
        }
        ctx.host().writeFile("/root/.kube/config", admin.get(), 0600);
        if (sudoUser.isPresent()) {
            Optional<String> home = UserHome.of(ctx.host(), sudoUser.get());
            if (home.isEmpty()) {
                ctx.progress().warn("no home directory for " + sudoUser.get() + " in the passwd database (getent passwd "
                        + sudoUser.get() + "); copy " + Kubeadm.ADMIN_KUBECONFIG + " to its ~/.kube/config by hand");
                return;
            }
            ctx.host().writeFile(home.get() + "/.kube/config", admin.get(), 0600);
            ctx.host().run("chown", "-R", sudoUser.get() + ":", home.get() + "/.kube").check();
        }
    }
}
