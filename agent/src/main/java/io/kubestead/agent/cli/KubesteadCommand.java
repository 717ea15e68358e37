package io.kubestead.agent.cli;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The root command: only wires subcommands. */
@Command(name = "kubestead", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Turns a handful of Linux hosts into a highly available Kubernetes cluster.",
        subcommandsRepeatable = false)
public final class KubesteadCommand implements Runnable {

    @Option(names = "--stacktrace", description = "print the stack trace of a failure")
    boolean stacktrace;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** One subcommand: how to make it, and what to set on it once it is added. */
    private record Sub(String name, Supplier<Object> command, Consumer<CommandLine> tune) {
        Sub(String name, Supplier<Object> command) {
            this(name, command, c -> { });
        }
    }

    private static List<Sub> subcommands(CliEnvironment env) {
        return List.of(
                new Sub("install", () -> new InstallCommand(env), c -> {
                    c.setUnmatchedOptionsArePositionalParams(true);
                    c.setUsageHelpWidth(112);
                    c.getCommandSpec().usageMessage().footer(InstallCommand.wordsHelp());
                }),
                new Sub("join", () -> new JoinCommand(env), c -> {
                    c.setUnmatchedOptionsArePositionalParams(true);
                    c.setUsageHelpWidth(112);
                    c.getCommandSpec().usageMessage().footer(JoinCommand.wordsHelp());
                }),
                new Sub("join-script", () -> new JoinScriptCommand(env)),
                new Sub("node", () -> NodeCommand.commandLine(env)),
                new Sub("set-endpoint", () -> new SetEndpointCommand(env), c -> c.setUnmatchedOptionsArePositionalParams(true)),
                new Sub("lb-sync", () -> new LbSyncCommand(env)),
                new Sub("status", () -> new StatusCommand(env)),
                new Sub("bundle-serve", () -> new BundleServeCommand(env)),
                new Sub("console", () -> new ConsoleCommand(env)),
                new Sub("certs", () -> CertsCommand.commandLine(env)),
                new Sub("etcd", () -> new EtcdCommand(env)),
                new Sub("preflight", () -> new PreflightCommand(env), c -> c.setUnmatchedOptionsArePositionalParams(false)),
                new Sub("bundle", () -> BundleCommand.commandLine(env)),
                new Sub("reset", () -> new ResetCommand(env), c -> {
                    c.setUnmatchedOptionsArePositionalParams(true);
                    c.setUsageHelpWidth(112);
                    c.getCommandSpec().usageMessage().footer(ResetCommand.wordsHelp());
                }));
    }

    static CommandLine commandLine(CliEnvironment env, boolean stacktrace) {
        return commandLine(env, stacktrace, null);
    }

    /**
     * With {@code only} naming a subcommand, the tree holds just that one: building every command's model loads
     * and reflects over hundreds of classes, a fifth of a second of a short command such as {@code bundle verify}.
     * Otherwise (help, no or a mistyped subcommand) the whole tree, so usage and suggestions list everything.
     */
    static CommandLine commandLine(CliEnvironment env, boolean stacktrace, String only) {
        CommandLine cl = new CommandLine(new KubesteadCommand());
        List<Sub> subs = subcommands(env);
        boolean known = subs.stream().anyMatch(s -> s.name().equals(only));
        for (Sub s : subs) {
            if (!known || s.name().equals(only)) {
                cl.addSubcommand(s.name(), s.command().get());
                s.tune().accept(cl.getSubcommands().get(s.name()));
            }
        }
        cl.setOut(env.out());
        cl.setErr(env.err());
        ExitCodes codes = new ExitCodes(stacktrace);
        cl.setExecutionExceptionHandler(codes);
        cl.setParameterExceptionHandler(codes);
        return cl;
    }
}
