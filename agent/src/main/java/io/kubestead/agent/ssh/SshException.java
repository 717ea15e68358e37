package io.kubestead.agent.ssh;

/** A connection that could not be made or broke; {@link #kind} says why, the message is one line for the operator. */
public final class SshException extends Exception {
    public enum Kind {
        UNREACHABLE, HOST_KEY, AUTHENTICATION, BROKEN
    }

    private final Kind kind;

    public SshException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
