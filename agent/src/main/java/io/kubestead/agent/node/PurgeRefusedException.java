package io.kubestead.agent.node;

/** A purge refused by its guards; the message says why and what to do. */
public final class PurgeRefusedException extends RuntimeException {
    public PurgeRefusedException(String message) {
        super(message);
    }
}
