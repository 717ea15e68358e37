package io.kubestead.agent.join;

/** We no longer hold the cluster lock (it expired and another joiner took it). */
public class LockLostException extends RuntimeException {
    public LockLostException(String message) {
        super(message);
    }
}
