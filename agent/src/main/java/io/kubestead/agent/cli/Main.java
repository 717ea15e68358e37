package io.kubestead.agent.cli;

import java.util.Arrays;

/** The {@code kubestead} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(CliEnvironment.system(), args));
    }

    /** Runs one command line against the given environment and returns its exit code. */
    public static int run(CliEnvironment env, String... args) {
        boolean stacktrace = Arrays.asList(args).contains("--stacktrace");
        String subcommand = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse(null);
        return KubesteadCommand.commandLine(env, stacktrace, subcommand).execute(args);
    }
}
