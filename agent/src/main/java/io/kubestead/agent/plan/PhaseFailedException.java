package io.kubestead.agent.plan;

/** A phase failed; the message names the phase and the cause once. */
public class PhaseFailedException extends RuntimeException {
    private final String phaseId;

    public PhaseFailedException(String phaseId, Throwable cause) {
        super("phase " + phaseId + " failed: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
        this.phaseId = phaseId;
    }

    public String phaseId() {
        return phaseId;
    }
}
