package io.kubestead.agent.cli;

import io.kubestead.agent.plan.PhaseFailedException;
import io.kubestead.agent.preflight.PreflightException;
import io.kubestead.agent.spec.Shown;
import io.kubestead.agent.spec.SpecException;
import picocli.CommandLine;

/**
 * The one place that maps failures to exit codes: 2 for bad words or input (as picocli and Unix tools do),
 * 3 for failed preflight checks, 1 for everything else. Each is printed as one line on stderr.
 */
final class ExitCodes implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int PREFLIGHT = 3;

    private final boolean stacktrace;

    ExitCodes(boolean stacktrace) {
        this.stacktrace = stacktrace;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        var err = cmd.getErr();
        Throwable cause = ex instanceof PhaseFailedException && ex.getCause() != null ? ex.getCause() : ex;
        if (cause instanceof SpecException) {
            err.println(line(cause.getMessage()));
            return USAGE;
        }
        if (cause instanceof PreflightException) {
            err.println(line(cause.getMessage()));
            return PREFLIGHT;
        }
        err.println(line(ex.getMessage() == null ? ex.toString() : ex.getMessage()));
        if (stacktrace) {
            ex.printStackTrace(err);
        }
        return FAILURE;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        var err = ex.getCommandLine().getErr();
        String help = " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')";
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()
                && !u.getUnmatched().isEmpty()) {
            // a mistyped subcommand: name the closest ones, as a mistyped word does
            err.println(line("unknown command " + Shown.quoted(u.getUnmatched().get(0)) + "; did you mean "
                    + u.getSuggestions().get(0) + "?" + help));
            return USAGE;
        }
        err.println(line(ex.getMessage() + help));
        return USAGE;
    }

    /**
     * The one error line: whatever a message echoes of the input, control characters are shown as escapes, so it
     * stays one line and cannot drive the terminal (messages quote the words they name through {@link Shown}).
     */
    static String line(String message) {
        return "kubestead: " + Shown.escape(message);
    }
}
