package io.kubestead.agent.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs commands as local processes. Each starts in a session of its own (setsid), so that at its timeout the whole
 * tree it started is killed: its descendants, and the processes that left the tree (a background child whose parent
 * exited) but stayed in its session. Output is read on two threads as it comes, handed to a sink line by line and
 * kept, so a timed-out command still shows what it printed.
 */
public final class ProcessRunner implements CommandRunner {
    /** Output kept in memory per stream; the run log gets all of it. */
    private static final int MAX_CAPTURE = 16 << 20;
    /** A line longer than this is handed on in pieces. */
    private static final int MAX_LINE = 64 << 10;
    /** After the program exits, how long its output may still take: a daemon it started may hold the pipe open. */
    private static final long DRAIN_GRACE_MS = 5_000;

    private final List<String> setsid;

    public ProcessRunner() {
        this.setsid = Stream.of("/usr/bin/setsid", "/bin/setsid").filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst().map(List::of).orElse(List.of());
    }

    @Override
    public ExecResult run(Command command) {
        return run(command, OutputSink.NONE);
    }

    @Override
    public ExecResult run(Command command, OutputSink sink) {
        List<String> argv = new ArrayList<>(setsid);
        argv.addAll(command.argv());
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(command.env());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new ExecResult(command, 127, "", "cannot start " + command.argv().get(0) + ": " + e.getMessage());
        }
        Capture out = new Capture(p.getInputStream(), false, sink);
        Capture err = new Capture(p.getErrorStream(), true, sink);
        // stopping the agent (Ctrl-C, SIGTERM) stops the command too: in its own session it would not see the signal
        Thread hook = new Thread(() -> killTree(p), "kill " + command.argv().get(0));
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            feed(p, command.stdin());
            if (!p.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(p);
                out.await();
                err.await();
                return ExecResult.timedOut(command, out.text(), err.text());
            }
            out.await();
            err.await();
            return new ExecResult(command, p.exitValue(), out.text(), err.text());
        } catch (InterruptedException e) {
            killTree(p);
            Thread.currentThread().interrupt();
            throw new HostException("interrupted while running " + command.display(), e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it kills the tree
            }
        }
    }

    /** Writes the input on a thread of its own, so a program that does not read it cannot stall the timeout. */
    private static void feed(Process p, byte[] input) {
        if (input.length == 0) {
            closeQuietly(p.getOutputStream());
            return;
        }
        Thread t = new Thread(() -> {
            try (OutputStream in = p.getOutputStream()) {
                in.write(input);
            } catch (IOException ignored) {
                // the program may exit without reading its input; its exit code tells the story
            }
        }, "stdin of " + p.pid());
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(OutputStream s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing was written; a program that is already gone needs no end of input
        }
    }

    /**
     * Kills the command's process and everything it started. Descendants are listed before anything is killed (a
     * killed parent's children are re-parented and no longer its descendants); the session's members are found
     * through /proc. Repeated until none is left, in case one forked while the others were killed.
     */
    void killTree(Process p) {
        long sid = p.pid();
        boolean ownSession = !setsid.isEmpty() && sid != Proc.session(ProcessHandle.current().pid());
        for (int round = 0; round < 10; round++) {
            List<ProcessHandle> victims = new ArrayList<>();
            victims.add(p.toHandle());
            p.descendants().forEach(victims::add);
            if (ownSession) {
                Proc.sessionMembers(sid).forEach(pid -> ProcessHandle.of(pid).ifPresent(victims::add));
            }
            victims.removeIf(h -> !Proc.running(h.pid()) || h.pid() == ProcessHandle.current().pid());
            if (victims.isEmpty()) {
                return;
            }
            victims.forEach(ProcessHandle::destroyForcibly);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (victims.stream().anyMatch(h -> Proc.running(h.pid())) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Reads one stream on a thread of its own: keeps it (up to a bound) and hands each line on as it completes. */
    private static final class Capture {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final boolean stderr;
        private final OutputSink sink;
        private final Thread thread;
        private boolean sinkBroken;
        private boolean truncated;

        Capture(InputStream in, boolean stderr, OutputSink sink) {
            this.stderr = stderr;
            this.sink = sink;
            this.thread = new Thread(() -> read(in), stderr ? "stderr" : "stdout");
            thread.setDaemon(true);
            thread.start();
        }

        private void read(InputStream in) {
            byte[] buf = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    take(buf, n);
                }
            } catch (IOException ignored) {
                // the stream closed under us (the process was killed): what came so far is kept
            }
            synchronized (this) {
                if (line.size() > 0) {
                    emit();
                }
            }
        }

        private synchronized void take(byte[] buf, int n) {
            int room = MAX_CAPTURE - kept.size();
            kept.write(buf, 0, Math.max(0, Math.min(n, room)));
            truncated |= n > room;
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    emit();
                } else {
                    line.write(buf[i]);
                    if (line.size() >= MAX_LINE) {
                        emit();
                    }
                }
            }
        }

        private void emit() {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            if (!sinkBroken) {
                try {
                    sink.line(text, stderr);
                } catch (RuntimeException e) {
                    sinkBroken = true; // a log that cannot be written must not stop the command's output being read
                }
            }
        }

        void await() throws InterruptedException {
            thread.join(DRAIN_GRACE_MS);
        }

        synchronized String text() {
            return kept.toString(StandardCharsets.UTF_8) + (truncated ? "\n[output beyond 16 MiB not kept]\n" : "");
        }
    }

    /** What /proc says about processes: their session, and whether they still run (a zombie does not). */
    static final class Proc {
        private Proc() {
        }

        /** Fields after the command name in /proc/PID/stat, or null if the process is gone. */
        private static String[] stat(long pid) {
            try {
                String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                return s.substring(s.lastIndexOf(')') + 2).split(" ");
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        static boolean running(long pid) {
            String[] f = stat(pid);
            return f != null && !f[0].equals("Z") && !f[0].equals("X");
        }

        static long session(long pid) {
            String[] f = stat(pid);
            return f == null ? -1 : Long.parseLong(f[3]);
        }

        static List<Long> sessionMembers(long sid) {
            List<Long> pids = new ArrayList<>();
            try (Stream<Path> s = Files.list(Path.of("/proc"))) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                        .map(Long::parseLong).filter(pid -> session(pid) == sid).forEach(pids::add);
            } catch (IOException e) {
                return pids;
            }
            return pids;
        }
    }
}
