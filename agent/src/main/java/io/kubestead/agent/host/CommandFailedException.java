package io.kubestead.agent.host;

/** A command exited non-zero or timed out; the result keeps its output's tail for the failure report. */
public class CommandFailedException extends HostException {
    private final transient ExecResult result;

    public CommandFailedException(ExecResult result, String message) {
        super(message);
        this.result = result;
    }

    public ExecResult result() {
        return result;
    }
}
