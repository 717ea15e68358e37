package io.kubestead.agent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: output kept and streamed, timeouts that kill the whole tree, secrets masked. */
class ProcessRunnerTest {
    @TempDir
    Path tmp;

    private final ProcessRunner runner = new ProcessRunner();

    /** A sleep duration no other process on the machine has, to find what a command left behind. */
    private static String marker() {
        return "300." + ThreadLocalRandom.current().nextInt(100_000, 999_999);
    }

    /** Processes (not zombies) whose command line holds {@code marker}. */
    private static List<String> running(String marker) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    String stat = Files.readString(p.resolve("stat"));
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    if (cmd.contains(marker) && state != 'Z') {
                        found.add(p.getFileName() + ": " + cmd);
                    }
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        return found;
    }

    @Test
    void aFailingCommandKeepsItsOutputAndItsLastTwentyLines() {
        ExecResult r = runner.run(Command.of("sh", "-c", "seq 1 50; echo 'no such thing' >&2; exit 3"));
        assertEquals(3, r.exitCode());
        assertFalse(r.ok() || r.timedOut());
        assertEquals(IntStream.rangeClosed(1, 50).mapToObj(Integer::toString).toList(), r.stdout().lines().toList());
        assertEquals("no such thing\n", r.stderr());
        List<String> tail = new ArrayList<>(IntStream.rangeClosed(32, 50).mapToObj(Integer::toString).toList());
        tail.add("no such thing");
        assertEquals(tail, r.tail(), "the last of stdout, then of stderr");
        CommandFailedException e = assertThrows(CommandFailedException.class, r::check);
        assertEquals("'sh -c seq 1 50; echo 'no such thing' >&2; exit 3' exited 3: no such thing", e.getMessage());
        assertEquals(r, e.result());
    }

    @Test
    void aTimeoutKillsTheWholeTreeAndKeepsThePartialOutput() throws IOException {
        String m = marker();
        ExecResult r = runner.run(Command.of("sh", "-c", "echo started; echo warming up >&2; sleep " + m + " & sleep " + m)
                .withTimeout(Duration.ofSeconds(1)));
        assertTrue(r.timedOut());
        assertEquals(ExecResult.TIMED_OUT, r.exitCode());
        assertEquals("timed out after 1 s", r.outcome());
        assertEquals("started\n", r.stdout());
        assertEquals("warming up\n", r.stderr());
        assertEquals(List.of("started", "warming up"), r.tail());
        assertEquals(List.of(), running(m), "the command's processes are all gone");
        CommandFailedException e = assertThrows(CommandFailedException.class, r::check);
        assertTrue(e.getMessage().endsWith("' timed out after 1 s: warming up"), e.getMessage());
    }

    @Test
    void aTimeoutAlsoKillsABackgroundChildWhoseParentExited() throws IOException {
        // the subshell exits at once: its sleep is re-parented and no longer a descendant, but it stays in the session
        String m = marker();
        ExecResult r = runner.run(Command.of("sh", "-c", "(sleep " + m + " &); echo forked; sleep " + m)
                .withTimeout(Duration.ofSeconds(1)));
        assertTrue(r.timedOut());
        assertEquals("forked\n", r.stdout());
        assertEquals(List.of(), running(m), "the re-parented sleep is gone too");
    }

    @Test
    void aTailKeepsHalfItsLinesForStderrWhenStdoutIsLong() {
        String out = IntStream.rangeClosed(1, 30).mapToObj(i -> "o" + i + "\n").collect(java.util.stream.Collectors.joining());
        String err = IntStream.rangeClosed(1, 20).mapToObj(i -> "e" + i + "\n").collect(java.util.stream.Collectors.joining());
        List<String> expected = new ArrayList<>(IntStream.rangeClosed(21, 30).mapToObj(i -> "o" + i).toList());
        expected.addAll(IntStream.rangeClosed(11, 20).mapToObj(i -> "e" + i).toList());
        assertEquals(expected, new ExecResult(Command.of("x"), 1, out, err).tail());
        assertEquals(IntStream.rangeClosed(1, 20).mapToObj(i -> "e" + i).toList(), new ExecResult(Command.of("x"), 1, "", err).tail());
        assertEquals(List.of("o", "e"), new ExecResult(Command.of("x"), 1, "o\n", "e\n").tail());
    }

    @Test
    void aProgramsOwnExit124IsNotATimeout() {
        ExecResult r = runner.run(Command.of("sh", "-c", "echo given up >&2; exit 124").withTimeout(Duration.ofSeconds(30)));
        assertEquals(124, r.exitCode());
        assertFalse(r.timedOut());
        assertEquals("exited 124", r.outcome());
        CommandFailedException e = assertThrows(CommandFailedException.class, r::check);
        assertEquals("'sh -c echo given up >&2; exit 124' exited 124: given up", e.getMessage());
    }

    @Test
    void outputIsHandedOnWhileTheCommandStillRuns() throws IOException {
        // the command waits for a file that only the sink creates, on seeing its first line: it can end only if
        // that line was handed on while it ran
        Path flag = tmp.resolve("seen");
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecResult r = runner.run(Command.of("sh", "-c", "echo ready; while [ ! -e " + flag + " ]; do sleep 0.05; done;"
                + " echo done >&2").withTimeout(Duration.ofSeconds(60)), (line, stderr) -> {
                    lines.add((stderr ? "err: " : "out: ") + line);
                    if (line.equals("ready")) {
                        try {
                            Files.createFile(flag);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                });
        assertTrue(r.ok(), r.outcome());
        assertEquals(List.of("out: ready", "err: done"), lines);
    }

    @Test
    void aMissingProgramExits127() {
        ExecResult r = runner.run(Command.of("kubestead-no-such-program-" + marker()));
        assertEquals(127, r.exitCode());
        assertFalse(r.timedOut());
    }

    @Test
    void aRedactedCommandsSecretIsMaskedInItsTailAndMessage() {
        String token = "abcdef.0123456789abcdef";
        Command c = Command.of("sh", "-c", "echo \"created $0\"; echo \"token $0 refused\" >&2; exit 1", token)
                .redacted("sh -c ... abcdef.****************");
        ExecResult r = runner.run(c);
        assertEquals(token, r.stdout().strip().substring("created ".length()), "callers still get the real output");
        assertEquals(List.of("created ****", "token **** refused"), r.tail());
        CommandFailedException e = assertThrows(CommandFailedException.class, r::check);
        assertEquals("'sh -c ... abcdef.****************' exited 1: token **** refused", e.getMessage());
    }
}
