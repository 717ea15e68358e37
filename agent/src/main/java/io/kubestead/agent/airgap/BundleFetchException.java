package io.kubestead.agent.airgap;

/** A bundle fetch that failed; the message says why and what to do. Nothing is left in the target directory. */
public final class BundleFetchException extends RuntimeException {
    public BundleFetchException(String message) {
        super(message);
    }

    public BundleFetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
