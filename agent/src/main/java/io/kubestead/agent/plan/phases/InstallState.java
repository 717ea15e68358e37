package io.kubestead.agent.plan.phases;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.plan.StateStore;
import io.kubestead.agent.spec.InstallSpec;
import java.util.Arrays;

/** Decides, before a run, whether earlier progress still counts. */
public final class InstallState {
    private InstallState() {
    }

    /**
     * When the settings differ from the ones recorded by an earlier run (a new load balancer address, say), every
     * phase must check its work again, so the recorded progress is forgotten. Returns true when that happened.
     */
    public static boolean resetIfSettingsChanged(Host host, InstallSpec spec, StateStore state) {
        boolean changed = host.readFile(InstallSpecPhase.PATH)
                .map(old -> !Arrays.equals(old, InstallSpecPhase.render(spec)))
                .orElse(false);
        if (changed) {
            // kubeadm init happens once; a moved endpoint is carried by cluster/endpoint instead of a second init
            state.forgetExcept(InstallPlan.NAME, java.util.Set.of("kubeadm/init"));
        }
        return changed;
    }
}
