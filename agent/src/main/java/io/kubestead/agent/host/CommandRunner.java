package io.kubestead.agent.host;

/** How a {@link RootedHost} runs commands: for real, recorded for a dry-run, or by a test's stand-in. */
@FunctionalInterface
public interface CommandRunner {
    ExecResult run(Command command);

    /**
     * Runs the command, handing each line of its output to {@code sink}: as it comes for real processes; stand-ins
     * answer at once, so their output is handed on after they return.
     */
    default ExecResult run(Command command, OutputSink sink) {
        ExecResult r = run(command);
        r.stdout().lines().forEach(l -> sink.line(l, false));
        r.stderr().lines().forEach(l -> sink.line(l, true));
        return r;
    }
}
