package io.kubestead.agent.cli;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.CommandFailedException;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.host.HostException;
import io.kubestead.agent.host.HostLock;
import io.kubestead.agent.host.RunLog;
import io.kubestead.agent.plan.PhaseFailedException;
import io.kubestead.agent.preflight.PreflightException;
import io.kubestead.agent.spec.SpecException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/**
 * What a command that changes a host holds while it runs: the host lock, and for the plan commands the run log,
 * whose path it prints at the start and again when the run fails, after the failed command and its last lines.
 */
final class HostSession implements AutoCloseable {
    /** How long install, join, reset, set-endpoint, join-script and certs renew wait for the host lock. */
    static final Duration PATIENCE = Duration.ofSeconds(60);
    /** Overrides {@link #PATIENCE}, in whole seconds. */
    static final String PATIENCE_VARIABLE = "KUBESTEAD_LOCK_WAIT";

    private final CliEnvironment env;
    private final String command;
    private final HostLock lock;
    private RunLog runLog;

    private HostSession(CliEnvironment env, String command, HostLock lock) {
        this.env = env;
        this.command = command;
        this.lock = lock;
    }

    /** Takes the host lock, waiting for another command to finish for up to a minute (or KUBESTEAD_LOCK_WAIT). */
    static HostSession lock(CliEnvironment env, Host host, String command) {
        return lock(env, host, command, patience(env));
    }

    /** Takes the host lock, waiting up to {@code patience} (zero: tries once). */
    static HostSession lock(CliEnvironment env, Host host, String command, Duration patience) {
        HostLock lock = HostLock.take(host, command, env.clock().instant(), patience, holder -> {
            env.err().println("Waiting for the host lock: " + holder.describe() + " holds it (waiting up to "
                    + patience.toSeconds() + " s)");
            env.err().flush();
        });
        return new HostSession(env, command, lock);
    }

    /** The patience in KUBESTEAD_LOCK_WAIT (0 to 86400 seconds), else a minute. */
    static Duration patience(CliEnvironment env) {
        String v = env.variables().get(PATIENCE_VARIABLE);
        if (v == null || v.isEmpty()) {
            return PATIENCE;
        }
        if (!v.matches("[0-9]{1,5}") || Integer.parseInt(v) > 86_400) {
            throw new SpecException(PATIENCE_VARIABLE + "=" + v.replaceAll("[^\\x20-\\x7e]", "?")
                    + " is not a number of seconds from 0 to 86400; unset it to wait a minute for the host lock");
        }
        return Duration.ofSeconds(Integer.parseInt(v));
    }

    /**
     * Starts the run log of this command on {@code host} (under the dry-run directory for a dry-run) and prints
     * its path. A log that cannot be created is warned about; the run goes on without one.
     */
    void startLog(Host host, ActionLog log, boolean dryRun) {
        try {
            runLog = RunLog.create(host, command, env.clock().instant());
            if (dryRun) {
                runLog.line("# a dry-run: the commands are listed, not run");
            }
            log.recordTo(runLog, !dryRun);
            env.out().println("Run log: " + runLog.file());
        } catch (HostException e) {
            env.err().println("WARNING: " + e.getMessage() + "; this run is not logged");
        }
    }

    /**
     * Shows why the run failed, before the one-line error: the phase and the command that failed, the last lines of
     * its output (a timed-out command's too), and where the whole log is.
     */
    void failed(Throwable failure) {
        if (runLog != null) {
            runLog.line("== failed: " + failure.getMessage());
        }
        Throwable cause = failure instanceof PhaseFailedException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof SpecException || cause instanceof PreflightException) {
            return; // bad input or a refused check: its one line says it all, and nothing ran that failed
        }
        PrintWriter err = env.err();
        Optional<ExecResult> result = commandFailure(failure);
        String phase = failure instanceof PhaseFailedException p ? " (phase " + p.phaseId() + ")" : "";
        result.ifPresent(r -> {
            err.println("Failed command" + phase + ": " + r.command().display());
            if (r.tail().isEmpty()) {
                err.println("It printed nothing.");
            } else {
                err.println("Its last " + (r.tail().size() == 1 ? "line" : r.tail().size() + " lines") + " of output:");
                r.tail().forEach(l -> err.println("  " + printable(l)));
            }
        });
        if (runLog != null) {
            err.println("Full log: " + runLog.file());
        }
        err.flush();
    }

    static Optional<ExecResult> commandFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CommandFailedException c) {
                return Optional.of(c.result());
            }
        }
        return Optional.empty();
    }

    /** A program's line with its control characters (terminal escapes) shown as '?'. */
    private static String printable(String line) {
        return line.replaceAll("[\\x00-\\x08\\x0b-\\x1f\\x7f]", "?");
    }

    @Override
    public void close() {
        if (runLog != null) {
            runLog.close();
        }
        lock.close();
    }
}
