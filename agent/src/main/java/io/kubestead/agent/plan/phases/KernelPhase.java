package io.kubestead.agent.plan.phases;

import io.kubestead.agent.hostsetup.KernelSettings;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;

/** Loads overlay and br_netfilter and sets the forwarding sysctls, persisting both. */
final class KernelPhase implements Phase {
    private final boolean ipv6;

    KernelPhase(boolean ipv6) {
        this.ipv6 = ipv6;
    }

    @Override
    public String id() {
        return "host/kernel";
    }

    @Override
    public String title() {
        return "Load kernel modules and set sysctls for pod networking";
    }

    @Override
    public boolean done(PhaseContext ctx) {
        return ctx.host().readString(KernelSettings.MODULES_FILE).equals(java.util.Optional.of(KernelSettings.modulesFile()))
                && ctx.host().readString(KernelSettings.SYSCTL_FILE).equals(java.util.Optional.of(KernelSettings.sysctlFile(ipv6)));
    }

    @Override
    public void run(PhaseContext ctx) {
        ctx.host().writeString(KernelSettings.MODULES_FILE, KernelSettings.modulesFile(), 0644);
        for (String module : KernelSettings.MODULES) {
            // Built in (or loaded already): modprobe would fail where /lib/modules is absent, and is not needed.
            if (!KernelSettings.inKernel(ctx.host(), module)) {
                ctx.host().run("modprobe", module).check();
            }
        }
        ctx.host().writeString(KernelSettings.SYSCTL_FILE, KernelSettings.sysctlFile(ipv6), 0644);
        ctx.host().run("sysctl", "--system").check();
    }
}
