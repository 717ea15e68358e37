package io.kubestead.installer.airgap;

/** Progress of one long step (a download, an image fetch): bytes so far against a total (-1 when unknown). */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void start(String what, long total) {
        }

        @Override
        public void advance(long bytes) {
        }

        @Override
        public void done() {
        }
    };

    void start(String what, long total);

    /** Bytes transferred since the last call. */
    void advance(long bytes);

    void done();
}
