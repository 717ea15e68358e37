package io.kubestead.agent.preflight;

/** One or more preflight checks failed; the CLI exits 3. */
public class PreflightException extends RuntimeException {
    public PreflightException(String message) {
        super(message);
    }
}
