package io.kubestead.installer.airgap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderTest {
    private static final byte[] BODY = new byte[300_000];

    static {
        new Random(7).nextBytes(BODY);
    }

    @TempDir
    Path dir;
    private LocalFiles files;
    private final Downloader downloader = new Downloader(HttpClient.newHttpClient(), 3, Duration.ofMillis(10));

    @BeforeEach
    void start() throws IOException {
        files = new LocalFiles().put("/file", BODY);
    }

    @AfterEach
    void stop() {
        files.close();
    }

    @Test
    void matchingChecksumKeepsTheFileAndReportsEveryByte() throws IOException {
        Path target = dir.resolve("sub/file");
        AtomicLong seen = new AtomicLong();
        downloader.download(URI.create(files.base() + "/file"), sha(BODY), target, counting(seen));
        assertArrayEquals(BODY, Files.readAllBytes(target));
        assertEquals(BODY.length, seen.get());
        assertEquals(1, entries(target.getParent()), "no temp file left beside the target");
    }

    @Test
    void mismatchIsRefusedNamingUrlAndBothSumsAndLeavesNothing() throws IOException {
        Path target = dir.resolve("file");
        String wrong = "0".repeat(64);
        IOException e = assertThrows(IOException.class,
                () -> downloader.download(URI.create(files.base() + "/file"), wrong, target, ProgressListener.NONE));
        assertTrue(e.getMessage().contains(files.base() + "/file"), e.getMessage());
        assertTrue(e.getMessage().contains("expected sha256 " + wrong), e.getMessage());
        assertTrue(e.getMessage().contains("got " + sha(BODY)), e.getMessage());
        assertEquals(0, entries(dir), "neither the file nor a temp file is left");
    }

    @Test
    void mismatchDoesNotReplaceAnExistingFile() throws IOException {
        Path target = dir.resolve("file");
        Files.writeString(target, "old");
        assertThrows(IOException.class,
                () -> downloader.download(URI.create(files.base() + "/file"), "1".repeat(64), target, ProgressListener.NONE));
        assertEquals("old", Files.readString(target));
    }

    @Test
    void transientFailuresAreRetried() throws IOException {
        files.failFirst("/file", 2);
        Path target = dir.resolve("file");
        downloader.download(URI.create(files.base() + "/file"), sha(BODY), target, ProgressListener.NONE);
        assertArrayEquals(BODY, Files.readAllBytes(target));
        assertEquals(3, files.requests.get());
    }

    @Test
    void persistentFailureGivesUpAfterTheAttempts() {
        files.failFirst("/file", 10);
        IOException e = assertThrows(IOException.class, () -> downloader.download(
                URI.create(files.base() + "/file"), sha(BODY), dir.resolve("file"), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("after 3 attempts") && e.getMessage().contains("HTTP 503"), e.getMessage());
        assertEquals(3, files.requests.get());
    }

    @Test
    void notFoundIsNotRetried() {
        IOException e = assertThrows(IOException.class, () -> downloader.download(
                URI.create(files.base() + "/missing"), sha(BODY), dir.resolve("file"), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertEquals(1, files.requests.get());
        assertFalse(Files.exists(dir.resolve("file")));
    }

    @Test
    void progressPrintsLinesWhenNotATerminal() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConsoleProgress p = new ConsoleProgress(new PrintStream(buf, true, StandardCharsets.UTF_8), false);
        downloader.download(URI.create(files.base() + "/file"), sha(BODY), dir.resolve("file"), p);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("[INFO] " + files.base() + "/file:   0% 0 B of 293.0 KiB\n"), out);
        assertTrue(out.endsWith("[INFO] " + files.base() + "/file: 100% 293.0 KiB of 293.0 KiB\n"), out);
        assertTrue(out.lines().count() <= 5, "a line every 25 %: " + out);
        assertFalse(out.contains("\r"), out);
    }

    @Test
    void progressRedrawsOneBarOnATerminal() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConsoleProgress p = new ConsoleProgress(new PrintStream(buf, true, StandardCharsets.UTF_8), true);
        downloader.download(URI.create(files.base() + "/file"), sha(BODY), dir.resolve("file"), p);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(1, out.chars().filter(c -> c == '\n').count(), "one line, redrawn with carriage returns: " + out);
        assertTrue(out.endsWith("[" + "#".repeat(30) + "] 100% 293.0 KiB of 293.0 KiB\n"), out);
        assertTrue(out.chars().filter(c -> c == '\r').count() > 2, out);
    }

    static String sha(byte[] b) {
        return HexFormat.of().formatHex(Downloader.sha256().digest(b));
    }

    private static long entries(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    private static ProgressListener counting(AtomicLong seen) {
        return new ProgressListener() {
            @Override
            public void start(String what, long total) {
                assertEquals(BODY.length, total);
            }

            @Override
            public void advance(long bytes) {
                seen.addAndGet(bytes);
            }

            @Override
            public void done() {
            }
        };
    }
}
