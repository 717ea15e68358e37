package io.kubestead.agent.host;

/** How a {@link RootedHost} runs commands: for real, recorded for a dry-run, or by a test's stand-in. */
@FunctionalInterface
public interface CommandRunner {
    ExecResult run(Command command);
}
