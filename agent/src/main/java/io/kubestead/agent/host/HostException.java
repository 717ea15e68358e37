package io.kubestead.agent.host;

/** A host operation failed: a command, a file write or a read. */
public class HostException extends RuntimeException {
    public HostException(String message) {
        super(message);
    }

    public HostException(String message, Throwable cause) {
        super(message, cause);
    }
}
