package io.kubestead.agent.plan.phases;

import io.kubestead.agent.hostsetup.KernelSettings;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;

/** The kubelet refuses to run with swap on: turn it off now and after reboots. */
final class SwapPhase implements Phase {
    @Override
    public String id() {
        return "host/swap";
    }

    @Override
    public String title() {
        return "Turn swap off, now and in /etc/fstab";
    }

    @Override
    public boolean done(PhaseContext ctx) {
        String swaps = ctx.host().readString("/proc/swaps").orElse("");
        String fstab = ctx.host().readString("/etc/fstab").orElse("");
        return swaps.lines().skip(1).allMatch(String::isBlank) && KernelSettings.withoutSwap(fstab).equals(fstab);
    }

    @Override
    public void run(PhaseContext ctx) {
        ctx.host().run("swapoff", "-a").check();
        ctx.host().readString("/etc/fstab").ifPresent(fstab -> {
            String updated = KernelSettings.withoutSwap(fstab);
            if (!updated.equals(fstab)) {
                ctx.host().writeString("/etc/fstab", updated, 0644);
                ctx.progress().info("swap entries in /etc/fstab commented out");
            }
        });
    }
}
