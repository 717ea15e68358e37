package io.kubestead.installer.airgap;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A loopback HTTP server for tests: fixed bodies by path, optionally failing the first N requests with 503. */
final class LocalFiles implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();

    LocalFiles() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            String path = ex.getRequestURI().getPath();
            byte[] body = bodies.get(path);
            AtomicInteger fail = failuresLeft.get(path);
            if (fail != null && fail.getAndDecrement() > 0) {
                ex.sendResponseHeaders(503, -1);
            } else if (body == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
            ex.close();
        });
        server.start();
    }

    LocalFiles put(String path, byte[] body) {
        bodies.put(path, body);
        return this;
    }

    LocalFiles failFirst(String path, int times) {
        failuresLeft.put(path, new AtomicInteger(times));
        return this;
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
