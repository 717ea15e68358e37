package io.kubestead.agent.plan.phases;

import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;

/**
 * A reset phase as a value: id, title and what it does. Reset phases check the host each time instead of trusting
 * recorded progress (the record is among what reset deletes), so {@link #done} is never consulted.
 */
record ResetStep(String id, String title, Action action) implements Phase {
    @FunctionalInterface
    interface Action {
        void run(PhaseContext ctx) throws Exception;
    }

    @Override
    public void run(PhaseContext ctx) throws Exception {
        action.run(ctx);
    }
}
