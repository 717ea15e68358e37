package io.kubestead.agent.plan.phases;

import io.kubestead.agent.airgap.ImageImport;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;

/** Loads the bundle's images into containerd before kubeadm, which then pulls nothing. */
final class ImageImportPhase implements Phase {
    private final ImageImport images;

    ImageImportPhase(ImageImport images) {
        this.images = images;
    }

    @Override
    public String id() {
        return "airgap/images";
    }

    @Override
    public String title() {
        return "Import the air-gap bundle's images into containerd (k8s.io)";
    }

    @Override
    public void run(PhaseContext ctx) {
        AirgapBundle.load(ctx).ifPresentOrElse(b -> {
            var out = images.run(ctx.host(), b, ctx.progress().meter("images", io.kubestead.agent.progress.Meter.Unit.ITEMS));
            ctx.progress().info("imported " + out.imported().size() + " images, " + out.present().size() + " already present");
        }, () -> ctx.progress().info("would import the air-gap bundle's images"));
    }
}
