package io.kubestead.agent.lb;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in kube-apiserver: HTTPS on 127.0.0.1 with an apiserver-like certificate, answering /readyz with 200 (or
 * 503 while not ready) and every other path with its id, so a client can tell which master served it. Stop closes
 * the listener and its connections like a killed process; start binds the same port again.
 */
final class StandInApiServer implements AutoCloseable {
    static {
        // Headers and body go out as separate TLS records; without NODELAY, Nagle and delayed ACKs add 40 ms each.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final String id;
    private final SSLContext tls;
    private int port;
    private volatile boolean ready = true;
    private HttpsServer server;
    private ExecutorService pool;
    private java.net.ServerSocket frozen;

    StandInApiServer(String id, SSLContext tls) {
        this.id = id;
        this.tls = tls;
    }

    synchronized StandInApiServer start() throws IOException {
        if (frozen != null) {
            frozen.close();
            frozen = null;
        }
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", this::handle);
        pool = Executors.newFixedThreadPool(4);
        server.setExecutor(pool);
        server.start();
        port = server.getAddress().getPort();
        return this;
    }

    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            pool.shutdownNow();
            server = null;
        }
    }

    /**
     * Like a frozen or partitioned machine: the port still completes TCP handshakes (a listening socket that never
     * accepts) but nothing ever answers. {@link #start} undoes it.
     */
    synchronized void freeze() throws IOException {
        stop();
        frozen = new java.net.ServerSocket();
        frozen.setReuseAddress(true);
        frozen.bind(new InetSocketAddress("127.0.0.1", port), 1024);
    }

    void ready(boolean r) {
        ready = r;
    }

    String id() {
        return id;
    }

    int port() {
        return port;
    }

    Master master() {
        return new Master(id, "127.0.0.1", port);
    }

    private void handle(HttpExchange ex) throws IOException {
        boolean readyz = ex.getRequestURI().getPath().equals("/readyz");
        int status = readyz && !ready ? 503 : 200;
        byte[] body = (readyz ? (ready ? "ok" : "not ready") : id).getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        if (frozen != null) {
            frozen.close();
        }
    }
}
