package io.kubestead.installer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code installer}: distribution-side commands (today: serve). */
@Command(name = "installer", mixinStandardHelpOptions = true, version = "kubestead installer",
        description = "Kubestead distribution tools.",
        subcommands = {ServeCommand.class, CommandLine.HelpCommand.class})
public final class InstallerMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int rc = new CommandLine(new InstallerMain()).execute(args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'installer serve DIR'");
    }
}
