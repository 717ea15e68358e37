package io.kubestead.agent.plan;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** An ordered list of phases, built by one factory per command (install, join, reset). */
public record Plan(String name, List<Phase> phases) {
    public Plan {
        phases = List.copyOf(phases);
        Set<String> ids = new HashSet<>();
        for (Phase p : phases) {
            if (!ids.add(p.id())) {
                throw new IllegalArgumentException("two phases named " + p.id());
            }
        }
    }

    /** The plan's phases as lines for help and plan.txt. */
    public List<String> outline() {
        return phases.stream().map(p -> String.format("%-28s %s", p.id(), p.title())).toList();
    }
}
