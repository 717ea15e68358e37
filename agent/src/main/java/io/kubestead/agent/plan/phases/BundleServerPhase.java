package io.kubestead.agent.plan.phases;

import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import java.util.Optional;

/**
 * On an air-gapped master: runs {@code kubestead bundle-serve} as the systemd service kubestead-bundle-server, so
 * nodes joining later fetch the bundle this master keeps instead of the operator copying it to every host.
 */
final class BundleServerPhase implements Phase {
    static final String UNIT = "/etc/systemd/system/kubestead-bundle-server.service";
    private final String address;
    private final int port;

    BundleServerPhase(String address, int port) {
        this.address = address;
        this.port = port;
    }

    String unit() {
        return """
                [Unit]
                Description=Kubestead air-gap bundle server for joining nodes
                After=network-online.target kubelet.service
                Wants=network-online.target

                [Service]
                ExecStart=%s/bin/kubestead bundle-serve address=%s port=%d
                Restart=always
                RestartSec=5

                [Install]
                WantedBy=multi-user.target
                """.formatted(AgentPhase.HOME, address, port);
    }

    @Override
    public String id() {
        return "airgap/bundle-server";
    }

    @Override
    public String title() {
        return "Serve the air-gap bundle to joining nodes (kubestead-bundle-server, port " + port + ")";
    }

    @Override
    public boolean done(PhaseContext ctx) {
        return ctx.host().readString(UNIT).equals(Optional.of(unit()));
    }

    @Override
    public void run(PhaseContext ctx) {
        boolean changed = !done(ctx);
        if (changed) {
            ctx.host().writeString(UNIT, unit(), 0644);
            ctx.host().run("systemctl", "daemon-reload").check();
        }
        ctx.host().run("systemctl", "enable", "kubestead-bundle-server").check();
        ctx.host().run("systemctl", changed ? "restart" : "start", "kubestead-bundle-server").check();
    }
}
