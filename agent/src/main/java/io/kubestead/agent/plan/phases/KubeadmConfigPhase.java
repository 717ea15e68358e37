package io.kubestead.agent.plan.phases;

import io.kubestead.agent.join.JoinSecrets;
import io.kubestead.agent.kubeadm.InitConfigInput;
import io.kubestead.agent.kubeadm.InstallSettings;
import io.kubestead.agent.hostsetup.KernelSettings;
import io.kubestead.agent.kubeadm.KubeadmConfigRenderer;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.spec.InstallSpec;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * Writes /etc/kubestead/kubeadm-init.yaml (mode 0600: it carries the bootstrap token and certificate key) from the
 * install spec and the join secrets, generating those once.
 */
final class KubeadmConfigPhase implements Phase {
    private final InstallSpec spec;
    private final SecureRandom random;

    KubeadmConfigPhase(InstallSpec spec, SecureRandom random) {
        this.spec = spec;
        this.random = random;
    }

    @Override
    public String id() {
        return "kubeadm/config";
    }

    @Override
    public String title() {
        return "Write the kubeadm configuration";
    }

    private String render(PhaseContext ctx) {
        JoinSecrets secrets = JoinSecrets.loadOrCreate(ctx.host(), random, ctx.clock().instant(), spec.tokenTtl());
        InitConfigInput in = new InitConfigInput(InstallSettings.cluster(spec), InstallSettings.node(spec),
                secrets.token(), spec.tokenTtl(), secrets.certificateKey());
        return new KubeadmConfigRenderer().renderInit(in, KernelSettings.conntrackReadOnly(ctx.host()));
    }

    @Override
    public boolean done(PhaseContext ctx) {
        return ctx.host().readString(KubeadmConfigRenderer.INIT_CONFIG_PATH).equals(Optional.of(render(ctx)));
    }

    @Override
    public void run(PhaseContext ctx) {
        ctx.host().writeString(KubeadmConfigRenderer.INIT_CONFIG_PATH, render(ctx), 0600);
        ctx.progress().info("wrote " + KubeadmConfigRenderer.INIT_CONFIG_PATH + " ("
                + InstallSettings.cluster(spec).api().apiVersion() + ")");
    }
}
