package io.kubestead.agent.reset;

import java.util.ArrayList;
import java.util.List;

/** What a reset removed and what it left on purpose, for the summary: one line each. */
public final class ResetReport {
    private final List<String> removed = new ArrayList<>();
    private final List<String> left = new ArrayList<>();

    public synchronized void removed(String what) {
        removed.add(what);
    }

    public synchronized void left(String what) {
        left.add(what);
    }

    public synchronized List<String> removed() {
        return List.copyOf(removed);
    }

    public synchronized List<String> left() {
        return List.copyOf(left);
    }

    /** "Removed: ..." lines, then "Left: ..." lines. */
    public synchronized List<String> lines() {
        List<String> out = new ArrayList<>();
        removed.forEach(r -> out.add("Removed: " + r));
        left.forEach(l -> out.add("Left:    " + l));
        return out;
    }
}
