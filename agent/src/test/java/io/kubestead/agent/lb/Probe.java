package io.kubestead.agent.lb;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;

/** A client that opens a new TLS connection per request and returns the id of the stand-in that answered. */
final class Probe {
    private final SSLContext tls;
    private final int timeoutMs;

    Probe(int timeoutMs) throws Exception {
        this.timeoutMs = timeoutMs;
        tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) {
            }

            public void checkServerTrusted(X509Certificate[] c, String a) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
    }

    /** GET /id on a fresh connection to 127.0.0.1:port; the body is the id of the server that answered. */
    String get(int port) throws IOException {
        try (Socket raw = new Socket()) {
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
            raw.setSoTimeout(timeoutMs);
            try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(raw, "127.0.0.1", port, false)) {
                s.getOutputStream().write(("GET /id HTTP/1.1\r\nHost: api.test.kubestead.internal\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                String resp = readAll(s.getInputStream());
                if (!resp.startsWith("HTTP/1.1 200")) {
                    throw new IOException("unexpected response: " + resp.lines().findFirst().orElse("(empty)"));
                }
                return resp.substring(resp.indexOf("\r\n\r\n") + 4);
            }
        }
    }

    /** Like {@link #get} but returns "FAIL: reason" instead of throwing. */
    String tryGet(int port) {
        try {
            return get(port);
        } catch (IOException e) {
            return "FAIL: " + e;
        }
    }

    /** Asks until the stand-in {@code id} answers through {@code port}, for at most 15 s. */
    void awaitId(int port, String id) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            last = tryGet(port);
            if (last.equals(id)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never reached " + id + " through the balancer on port " + port + "; last: " + last);
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        in.transferTo(buf);
        return buf.toString(StandardCharsets.UTF_8);
    }
}
