package io.kubestead.agent.join;

/** The control-plane join was refused or did not complete; the message says why and what to do. */
public class JoinGateException extends RuntimeException {
    public JoinGateException(String message) {
        super(message);
    }

    public JoinGateException(String message, Throwable cause) {
        super(message, cause);
    }
}
