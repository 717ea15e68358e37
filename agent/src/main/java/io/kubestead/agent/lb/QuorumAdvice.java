package io.kubestead.agent.lb;

import java.util.Optional;

/** Warns about master counts that waste or lack etcd quorum (kops: run an odd number of masters). */
public final class QuorumAdvice {
    private QuorumAdvice() {
    }

    /** A warning for {@code count} masters, or empty when the count is sound for the mode. */
    public static Optional<String> forMasters(int count, boolean ha) {
        if (count < 1) {
            throw new IllegalArgumentException("master count " + count);
        }
        int quorum = count / 2 + 1;
        int tolerated = (count - 1) / 2;
        String base = count + " master" + (count == 1 ? "" : "s") + " run " + count + " etcd member"
                + (count == 1 ? "" : "s") + ": quorum is " + quorum + ", so the cluster survives " + tolerated
                + " master failure" + (tolerated == 1 ? "" : "s") + ".";
        if (ha && count < 3) {
            return Optional.of("warning: ha with " + base + " Losing " + (tolerated + 1) + " master"
                    + (tolerated + 1 == 1 ? "" : "s") + " stops the API (etcd refuses writes without a majority). "
                    + "Add masters until there are 3 (tolerates 1 failure) or 5 (tolerates 2).");
        }
        if (count % 2 == 0) {
            int lower = count - 1;
            return Optional.of("warning: " + base + " An even count adds a member to the majority without adding "
                    + "tolerance: " + lower + " masters also survive " + tolerated + " failure"
                    + (tolerated == 1 ? "" : "s") + ". Run an odd number (" + lower + " or " + (count + 1) + ").");
        }
        return Optional.empty();
    }
}
