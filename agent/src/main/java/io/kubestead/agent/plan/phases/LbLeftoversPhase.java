package io.kubestead.agent.plan.phases;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.lb.BalancerLeftovers;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import java.util.List;
import java.util.Optional;

/**
 * After a switch of balancer mode, once the new mode's files are in place: what the old mode left goes (its static
 * pod, configuration, bootstrap process, keepalived, the lb-sync timer where nothing needs following any more).
 * In the plan only when the host has such leftovers, and titled with what it found.
 */
final class LbLeftoversPhase implements Phase {
    private final BalancerLeftovers leftovers;
    private final List<String> found;

    private LbLeftoversPhase(BalancerLeftovers leftovers, List<String> found) {
        this.leftovers = leftovers;
        this.found = List.copyOf(found);
    }

    /** The phase if {@code host} has leftovers of another mode, else nothing to plan. */
    static Optional<Phase> ifAny(Host host, BalancerLeftovers leftovers) {
        List<String> found = leftovers.find(host);
        return found.isEmpty() ? Optional.empty() : Optional.of(new LbLeftoversPhase(leftovers, found));
    }

    @Override
    public String id() {
        return "lb/leftovers";
    }

    @Override
    public String title() {
        return "Remove what the old load balancer mode left: " + String.join(", ", found);
    }

    @Override
    public boolean done(PhaseContext ctx) {
        return leftovers.find(ctx.host()).isEmpty();
    }

    @Override
    public void run(PhaseContext ctx) {
        List<String> removed = leftovers.remove(ctx.host());
        removed.forEach(r -> ctx.progress().info("removed " + r));
        if (removed.isEmpty()) {
            ctx.progress().info("nothing left to remove");
        }
    }
}
