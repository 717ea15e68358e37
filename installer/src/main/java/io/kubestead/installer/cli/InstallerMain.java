package io.kubestead.installer.cli;

import io.kubestead.agent.spec.SpecException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code installer}: distribution-side commands (serve, airgap build, keygen, sign, sign-sums, bundle pack). Exit codes: 0 ok, 1 failure,
 * 2 bad usage or bad input (one line naming it, plus a --help hint).
 */
@Command(name = "installer", mixinStandardHelpOptions = true, version = "kubestead installer",
        description = "Kubestead distribution tools.",
        subcommands = {ServeCommand.class, AirgapCommand.class, KeygenCommand.class, SignCommand.class,
            SignSumsCommand.class, BundlePackCommand.class, CommandLine.HelpCommand.class})
public final class InstallerMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int rc = commandLine().execute(args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    /** The configured command line: one-line errors instead of usage dumps and stack traces. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new InstallerMain());
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            err.println("[ERROR] " + ex.getMessage());
            err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("[ERROR] " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            return ex instanceof IllegalArgumentException || ex instanceof SpecException ? 2 : 1;
        });
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'installer serve DIR'");
    }
}
