package io.kubestead.agent.cli;

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

    static CommandLine commandLine(CliEnvironment env, boolean stacktrace) {
        CommandLine cl = new CommandLine(new KubesteadCommand());
        cl.addSubcommand("install", new InstallCommand(env));
        cl.addSubcommand("join", new JoinCommand(env));
        CommandLine join = cl.getSubcommands().get("join");
        join.setUnmatchedOptionsArePositionalParams(true);
        join.setUsageHelpWidth(112);
        join.getCommandSpec().usageMessage().footer(JoinCommand.wordsHelp());
        cl.addSubcommand("join-script", new JoinScriptCommand(env));
        cl.addSubcommand("set-endpoint", new SetEndpointCommand(env));
        cl.getSubcommands().get("set-endpoint").setUnmatchedOptionsArePositionalParams(true);
        cl.addSubcommand("lb-sync", new LbSyncCommand(env));
        cl.addSubcommand("bundle-serve", new BundleServeCommand(env));
        cl.addSubcommand("certs", CertsCommand.commandLine(env.out(), env.err()));
        cl.addSubcommand("preflight", new PreflightCommand(env));
        cl.addSubcommand("bundle", BundleCommand.commandLine(env));
        cl.addSubcommand("reset", new ResetCommand(env));
        CommandLine reset = cl.getSubcommands().get("reset");
        reset.setUnmatchedOptionsArePositionalParams(true);
        reset.setUsageHelpWidth(112);
        reset.getCommandSpec().usageMessage().footer(ResetCommand.wordsHelp());
        cl.getSubcommands().get("preflight").setUnmatchedOptionsArePositionalParams(false);
        CommandLine install = cl.getSubcommands().get("install");
        install.setUnmatchedOptionsArePositionalParams(true);
        install.setUsageHelpWidth(112);
        install.getCommandSpec().usageMessage().footer(InstallCommand.wordsHelp());
        cl.setOut(env.out());
        cl.setErr(env.err());
        ExitCodes codes = new ExitCodes(stacktrace);
        cl.setExecutionExceptionHandler(codes);
        cl.setParameterExceptionHandler(codes);
        return cl;
    }
}
