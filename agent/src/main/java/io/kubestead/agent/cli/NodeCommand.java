package io.kubestead.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kubestead node}: only wires its subcommands. */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Add nodes to the cluster, or purge lost ones, from a master.")
final class NodeCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static CommandLine commandLine(CliEnvironment env) {
        CommandLine cl = new CommandLine(new NodeCommand());
        cl.addSubcommand("add", new NodeAddCommand(env));
        cl.getSubcommands().get("add").setUsageHelpWidth(112);
        cl.addSubcommand("purge", new NodePurgeCommand.Purge(env));
        cl.addSubcommand("purge-lost", new NodePurgeCommand.PurgeLost(env));
        return cl;
    }
}
