package io.kubestead.installer.serve;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Clients that hold a plain HTTP server's connections on loopback: half of them send half a request header and
 * nothing more, the other half ask for a large file and never read (with a 4 KiB receive buffer, so the server's
 * writes block early). For {@link SlowClientsTest}, and {@code bench/serve/run.sh} through {@link #main}.
 */
final class SlowClients implements AutoCloseable {
    private final List<Socket> halfHeaders = new ArrayList<>();
    private final List<Socket> nonReaders = new ArrayList<>();

    private SlowClients() {
    }

    static SlowClients open(InetSocketAddress server, int count, String bigPath) throws IOException {
        SlowClients c = new SlowClients();
        try {
            for (int i = 0; i < count; i++) {
                Socket s = new Socket();
                if (i % 2 == 0) {
                    c.halfHeaders.add(s);
                    s.connect(server, 5000);
                    s.getOutputStream().write(("GET /install.sh HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ")
                            .getBytes(StandardCharsets.US_ASCII));
                } else {
                    c.nonReaders.add(s);
                    s.setReceiveBufferSize(4096);
                    s.connect(server, 5000);
                    s.getOutputStream().write(("GET " + bigPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                }
                s.getOutputStream().flush();
            }
        } catch (IOException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Milliseconds each of {@code n} GETs took, each on a new connection; throws if one fails or exceeds timeout. */
    static List<Long> timedGets(URI url, int n, Duration timeout) throws IOException, InterruptedException {
        List<Long> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(url).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            ms.add((System.nanoTime() - t0) / 1_000_000);
            if (r.statusCode() != 200) {
                throw new IOException(url + " answered " + r.statusCode());
            }
        }
        return ms;
    }

    /** How many half-header connections the server has closed, waiting at most {@code wait} in all. */
    int halfHeadersClosed(Duration wait) throws IOException {
        long end = System.nanoTime() + wait.toNanos();
        int closed = 0;
        for (Socket s : halfHeaders) {
            if (readsToEnd(s, end) >= 0) {
                closed++;
            }
        }
        return closed;
    }

    /** Bytes each non-reader gets when it finally reads, to the end of the stream, or -1 if that end does not come. */
    List<Long> drainNonReaders(Duration wait) throws IOException {
        long end = System.nanoTime() + wait.toNanos();
        List<Long> bytes = new ArrayList<>();
        for (Socket s : nonReaders) {
            bytes.add(readsToEnd(s, end));
        }
        return bytes;
    }

    int nonReaderCount() {
        return nonReaders.size();
    }

    /** Reads until the end of the stream (or a reset): the count read; -1 if the deadline passes first. */
    private static long readsToEnd(Socket s, long deadline) throws IOException {
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
                return total; // reset by the server
            }
            if (n < 0) {
                return total;
            }
            total += n;
        }
    }

    @Override
    public void close() {
        for (Socket s : halfHeaders) {
            closeQuietly(s);
        }
        for (Socket s : nonReaders) {
            closeQuietly(s);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing a test client
        }
    }

    /**
     * {@code SlowClients HOST PORT SLOW BIG-PATH SMALL-PATH GETS}: opens SLOW slow clients, then times GETS normal
     * GETs of SMALL-PATH (each with a 60 s limit) and prints one line per GET and a summary; exits 1 if one failed.
     */
    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int slow = Integer.parseInt(args[2]);
        URI small = URI.create("http://" + args[0] + ":" + args[1] + args[4]);
        int gets = Integer.parseInt(args[5]);
        try (SlowClients c = open(server, slow, args[3])) {
            Thread.sleep(1000); // let every slow client reach the server
            List<Long> ms = new ArrayList<>();
            for (int i = 0; i < gets; i++) {
                try {
                    long t = timedGets(small, 1, Duration.ofSeconds(60)).get(0);
                    ms.add(t);
                    System.out.println("GET " + small + " under " + slow + " slow clients: " + t + " ms");
                } catch (IOException e) {
                    System.out.println("GET " + small + " under " + slow + " slow clients: failed after 60 s: " + e);
                    System.exit(1);
                }
            }
            List<Long> sorted = ms.stream().sorted().toList();
            System.out.println("summary: " + gets + " GETs, median " + sorted.get(sorted.size() / 2) + " ms, min "
                    + sorted.get(0) + " ms, max " + sorted.get(sorted.size() - 1) + " ms");
        }
    }
}
