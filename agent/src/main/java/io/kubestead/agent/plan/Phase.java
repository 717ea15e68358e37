package io.kubestead.agent.plan;

/**
 * One named step of an installation, like kubeadm's phases: it can tell whether it is already done (so a rerun
 * skips it) and run. A dry-run runs the same phases against a host rooted in a directory, whose files land there and
 * whose commands are recorded instead of executed. Phases whose work reaches past the host (the API server, a
 * download, a wait for another node) check {@code ctx.dryRun()} and say what they would do instead.
 */
public interface Phase {

    /** Lower-case, hyphenated, '/'-joined: {@code pki/certificates}. */
    String id();

    /** A sentence-case description: "Generate the cluster certificates". */
    String title();

    /**
     * Asked only when the state store records this phase as finished: true when its work is still in place on the
     * host. Phases whose results can go missing (files, services) check them here.
     */
    default boolean done(PhaseContext ctx) {
        return true;
    }

    /**
     * Checks this phase's inputs (the files its words name, the bundle it needs) and changes nothing: the runner asks
     * every phase of the plan before the first one runs, in a dry-run too, so bad input is refused before the first
     * host change. A phase whose inputs are fine, or that has none, does nothing here.
     */
    default void validate(PhaseContext ctx) throws Exception {
    }

    void run(PhaseContext ctx) throws Exception;
}
