package io.kubestead.installer.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.http.LimitedServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code installer serve} in a process of its own (the JDK server reads its limits once per process), on
 * loopback, against 50 slow clients: 25 that send half a header and 25 that never read a 16 MiB response. Normal GETs
 * still get their answer, the half headers are closed after the header time, and the non-readers are cut after the
 * stall time. Before the limits, the 50 held all 8 threads and a normal GET never got an answer.
 */
class SlowClientsTest {
    private static final long BIG = 16L << 20;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fiftySlowClientsDoNotStarveOthersAndAreCutThemselves() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("dist"));
        Files.writeString(root.resolve("install.sh"), "#!/usr/bin/env bash\nKUBESTEAD_BASE_URL=\"\"\n");
        Files.writeString(root.resolve("SHA256SUMS"), "abc  kubestead-agent-1-linux-amd64.tar.gz\n");
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("big.tar.gz").toFile(), "rw")) {
            f.setLength(BIG);
        }
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.kubestead.installer.cli.InstallerMain",
                "serve", root.toString(), "--bind", "127.0.0.1", "--port", "0")
                .redirectErrorStream(true).start();
        try {
            int port = port(server);
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1", port);
            try (SlowClients slow = SlowClients.open(addr, 50, "/big.tar.gz")) {
                Thread.sleep(500);
                long start = System.nanoTime();
                // each normal GET is bounded by its timeout: before the limits they waited for a thread forever
                List<Long> ms = SlowClients.timedGets(URI.create("http://127.0.0.1:" + port + "/SHA256SUMS"), 5,
                        Duration.ofSeconds(5));
                assertEquals(5, ms.size());
                assertEquals(25, slow.halfHeadersClosed(Duration.ofSeconds(LimitedServer.HEADER_SECONDS + 10)),
                        "every half header is closed after " + LimitedServer.HEADER_SECONDS + " s");
                // read only once the stall time has passed: reading earlier would un-stall the server
                long cut = start + TimeUnit.SECONDS.toNanos(LimitedServer.STALL_SECONDS + 8);
                Thread.sleep(Math.max(0, (cut - System.nanoTime()) / 1_000_000));
                List<Long> got = slow.drainNonReaders(Duration.ofSeconds(20));
                for (long n : got) {
                    assertTrue(n >= 0 && n < BIG, "a non-reader is cut before its 16 MiB response ends: got " + got);
                }
            }
            // and after all that the server still answers
            assertEquals(1, SlowClients.timedGets(URI.create("http://127.0.0.1:" + port + "/install.sh"), 1,
                    Duration.ofSeconds(5)).size());
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int port(Process server) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = listening.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException e) {
                        // the server stopped
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("installer serve ended without listening");
    }
}
