package io.kubestead.agent.host;

import java.util.ArrayList;
import java.util.List;

/** Every change made through a host, in order: the material of a dry-run's plan.txt and of tests. */
public final class ActionLog {
    private final List<String> actions = new ArrayList<>();
    private String section = "";

    /** Marks the start of a phase; following actions are listed under it. */
    public synchronized void section(String title) {
        section = title;
        actions.add("== " + title);
    }

    public synchronized void add(String action) {
        actions.add("   " + action);
    }

    public synchronized List<String> lines() {
        return List.copyOf(actions);
    }

    public synchronized String currentSection() {
        return section;
    }
}
