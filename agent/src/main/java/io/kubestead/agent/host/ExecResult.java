package io.kubestead.agent.host;

/** The outcome of a {@link Command}. */
public record ExecResult(Command command, int exitCode, String stdout, String stderr) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** Returns this result if the command succeeded, else throws with the command and its stderr. */
    public ExecResult check() {
        if (exitCode != 0) {
            throw new HostException("'" + command.display() + "' exited " + exitCode
                    + (stderr.isBlank() ? "" : ": " + stderr.strip().lines().reduce((a, b) -> b).orElse("")));
        }
        return this;
    }
}
