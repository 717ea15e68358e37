package io.kubestead.agent.airgap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.http.LimitedServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubestead bundle-serve}'s server (HTTPS, a process of its own) against 50 slow clients on loopback: 25 that
 * finish the TLS handshake and send half a header, 25 with a valid token that never read a 16 MiB file. Joining
 * nodes' requests still get their answer; the slow ones are closed after the header time and cut after the stall
 * time. Before the limits, the 50 held all 4 threads and a joining node never got an answer.
 */
class BundleServerSlowClientsTest {
    private static final String TOKEN = "abcdef.0123456789abcdef";
    private static final int BIG = 16 << 20;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fiftySlowClientsDoNotStarveJoiningNodesAndAreCutThemselves() throws Exception {
        Path served = new FakeBundle().file("bin/kubelet", "kubelet").file("images/big.tar", new byte[BIG])
                .writeTo(dir.resolve("bundle"));
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SlowServeMain.class.getName(), served.toString(), TOKEN)
                .redirectErrorStream(true).start();
        List<Socket> halfHeaders = new ArrayList<>();
        List<Socket> nonReaders = new ArrayList<>();
        try {
            String[] ready = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
                    .readLine().split(" ");
            assertEquals("ready", ready[0], String.join(" ", ready));
            int port = Integer.parseInt(ready[1]);
            SSLContext tls = PinnedCaTrust.context(ready[2]);
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1", port);
            for (int i = 0; i < 25; i++) {
                halfHeaders.add(send(tls, addr, false, "GET /manifest.json HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bea"));
                nonReaders.add(send(tls, addr, true, "GET /files/images/big.tar HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + TOKEN + "\r\n\r\n"));
            }
            Thread.sleep(500);
            long start = System.nanoTime();
            HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
            for (int i = 0; i < 5; i++) {
                // bounded by its timeout: before the limits this waited for a thread forever
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
                        + "/files/bin/kubelet")).header("Authorization", "Bearer " + TOKEN)
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertEquals("kubelet", r.body());
            }
            long headerEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(LimitedServer.HEADER_SECONDS + 10);
            for (Socket s : halfHeaders) {
                assertTrue(readToEnd(s, headerEnd) >= 0, "a half header is closed after " + LimitedServer.HEADER_SECONDS + " s");
            }
            // read only once the stall time has passed: reading earlier would un-stall the server
            long cut = start + TimeUnit.SECONDS.toNanos(LimitedServer.STALL_SECONDS + 8);
            Thread.sleep(Math.max(0, (cut - System.nanoTime()) / 1_000_000));
            long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (Socket s : nonReaders) {
                long n = readToEnd(s, drainEnd);
                assertTrue(n >= 0 && n < BIG, "a non-reader is cut before its 16 MiB response ends: got " + n);
            }
        } finally {
            for (Socket s : halfHeaders) {
                s.close();
            }
            for (Socket s : nonReaders) {
                s.close();
            }
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A TLS connection that has sent {@code request} (a small receive buffer for a non-reader). */
    private static Socket send(SSLContext tls, InetSocketAddress addr, boolean smallBuffer, String request) throws IOException {
        Socket raw = new Socket();
        if (smallBuffer) {
            raw.setReceiveBufferSize(4096);
        }
        raw.connect(addr, 5000);
        raw.setSoTimeout(10_000);
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(raw, "127.0.0.1", addr.getPort(), true);
        try {
            s.startHandshake();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not finish a TLS handshake within 10 s: no thread was free", e);
        }
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** Bytes read up to the end of the stream (or a reset, or a TLS close); -1 if the deadline passes first. */
    private static long readToEnd(Socket s, long deadline) throws IOException {
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        InputStream in = s.getInputStream();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return -1;
            }
            s.setSoTimeout((int) Math.max(1, left));
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                return -1;
            } catch (IOException e) {
                return total;
            }
            if (n < 0) {
                return total;
            }
            total += n;
        }
    }
}
