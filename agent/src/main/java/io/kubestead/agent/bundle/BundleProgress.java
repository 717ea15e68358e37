package io.kubestead.agent.bundle;

/** Told how many of the manifest's file bytes have been verified so far; called often, from the reading thread. */
@FunctionalInterface
public interface BundleProgress {
    BundleProgress NONE = (done, total) -> { };

    void update(long bytesDone, long bytesTotal);
}
