package io.kubestead.agent.status;

import java.time.Duration;

/** Short human durations as kubectl prints ages: 45s, 12m, 5h, 3d, 2y. */
public final class Durations {
    private Durations() {
    }

    public static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 2 * 3600) {
            return s / 60 + "m";
        }
        if (s < 48 * 3600) {
            return s / 3600 + "h";
        }
        if (s < 2 * 365 * 86400L) {
            return s / 86400 + "d";
        }
        return s / (365 * 86400L) + "y";
    }
}
