package io.kubestead.agent.bundle;

/** A bundle was refused or could not be read or written; the message is one line naming the entry or file. */
public final class BundleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
