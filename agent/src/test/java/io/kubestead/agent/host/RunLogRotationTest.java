package io.kubestead.agent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each command keeps its newest run logs; nothing else in the directory is touched. */
class RunLogRotationTest {
    @TempDir
    Path root;

    private List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void keepsTheNewestLogsOfEachCommandAndLeavesOtherFilesAlone() throws IOException {
        RootedHost host = new RootedHost("local", root, new ProcessRunner(), new ActionLog());
        Path dir = root.resolve("var/log/kubestead");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "an operator's file");
        Path target = Files.writeString(root.resolve("elsewhere.log"), "not ours");
        Files.createSymbolicLink(dir.resolve("lb-sync-20200101T000000Z.log"), target);
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        try (RunLog install = RunLog.create(host, "install", t0)) {
            install.line("the install");
        }
        // Twelve runs in one second get -2 ... -12, then KEEP - 3 later runs: the three kept from that second are the
        // newest by number (-10, -11, -12), not by text (-7, -8, -9).
        for (int i = 0; i < 12; i++) {
            RunLog.create(host, "lb-sync", t0.plusSeconds(3600)).close();
        }
        for (int i = 1; i <= RunLog.KEEP - 3; i++) {
            RunLog.create(host, "lb-sync", t0.plusSeconds(3600 + i)).close();
        }
        List<String> left = names(dir);
        List<String> lbSync = left.stream().filter(n -> n.startsWith("lb-sync-2026")).toList();
        assertEquals(RunLog.KEEP, lbSync.size(), left.toString());
        assertEquals(List.of("lb-sync-20261201T010000Z-10.log", "lb-sync-20261201T010000Z-11.log",
                "lb-sync-20261201T010000Z-12.log"), lbSync.stream().filter(n -> n.contains("010000Z")).toList());
        assertTrue(left.contains("install-20261201T000000Z.log"), "another command's log stays: " + left);
        assertTrue(left.contains("notes.txt"), left.toString());
        assertTrue(Files.isSymbolicLink(dir.resolve("lb-sync-20200101T000000Z.log")), "a symlink is never followed or removed");
        assertEquals("not ours", Files.readString(target));

        // One more run drops exactly the oldest one.
        RunLog.create(host, "lb-sync", t0.plusSeconds(7200)).close();
        List<String> after = names(dir).stream().filter(n -> n.startsWith("lb-sync-2026")).toList();
        assertEquals(RunLog.KEEP, after.size());
        assertTrue(!after.contains("lb-sync-20261201T010000Z-10.log"), after.toString());
        assertTrue(after.contains("lb-sync-20261201T020000Z.log"), after.toString());
    }
}
