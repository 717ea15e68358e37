package io.kubestead.agent.progress;

/**
 * How far one long step is (bytes verified, files fetched, images imported): told the amount done of a total as
 * it goes, from one thread. {@link ConsoleMeter} shows it as a bar on a terminal and as plain lines elsewhere.
 */
public interface Meter {
    Meter NONE = new Meter() {
        @Override
        public void update(long done, long total, String note) {
        }

        @Override
        public void finish() {
        }
    };

    /** What the amounts count. */
    enum Unit { BYTES, ITEMS }

    /**
     * @param total -1 when not known
     * @param note  what is being worked on now (an image, a file), or ""
     */
    void update(long done, long total, String note);

    default void update(long done, long total) {
        update(done, total, "");
    }

    /** The step is over: a bar on a terminal ends its line. */
    void finish();
}
