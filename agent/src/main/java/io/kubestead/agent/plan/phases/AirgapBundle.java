package io.kubestead.agent.plan.phases;

import io.kubestead.agent.airgap.ExtractedBundle;
import io.kubestead.agent.plan.PhaseContext;
import java.util.Optional;

/** The extracted bundle the air-gap phases install from; {@link BundlePhase} put it there earlier in the plan. */
final class AirgapBundle {
    private AirgapBundle() {
    }

    /** The bundle, or empty in a dry-run that has none to read (the dry-run then only says what it would do). */
    static Optional<ExtractedBundle> load(PhaseContext ctx) {
        Optional<ExtractedBundle> b = ExtractedBundle.load(ctx.host(), ExtractedBundle.DEFAULT_DIR);
        if (b.isEmpty() && !ctx.dryRun()) {
            throw new IllegalStateException("no air-gap bundle in " + ExtractedBundle.DEFAULT_DIR + "; put the air-gap bundle"
                    + " (kubestead-airgap-<version>-linux-<arch>.tar.zst) beside install.sh and rerun");
        }
        return b;
    }
}
