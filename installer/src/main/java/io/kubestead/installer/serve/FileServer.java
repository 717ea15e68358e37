package io.kubestead.installer.serve;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves a directory (install.sh, SHA256SUMS, agent and airgap bundles) over HTTP or HTTPS with
 * the JDK's built-in server. Port 0 picks a free port; {@link #port()} tells which.
 */
public final class FileServer implements AutoCloseable {

    private static final int THREADS = 8;

    private final ServeConfig config;
    private final HttpServer server;
    private final ExecutorService executor;

    private FileServer(ServeConfig config, HttpServer server, ExecutorService executor) {
        this.config = config;
        this.server = server;
        this.executor = executor;
    }

    /** Binds and starts serving; fails naming the directory or address if that is impossible. */
    public static FileServer start(ServeConfig config, PrintStream log) throws IOException {
        if (!Files.isDirectory(config.root())) {
            throw new IllegalArgumentException("cannot serve " + config.root() + ": not a directory");
        }
        InetSocketAddress addr = new InetSocketAddress(InetAddress.getByName(config.bind()), config.port());
        HttpServer server;
        if (config.tls().isPresent()) {
            HttpsServer https = HttpsServer.create(addr, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(TlsContexts.fromPem(config.tls().get())));
            server = https;
        } else {
            server = HttpServer.create(addr, 0);
        }
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        server.setExecutor(executor);
        server.createContext("/", new StaticFileHandler(config, log));
        server.start();
        return new FileServer(config, server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** A URL clients on this machine can use (the bind address, or loopback for a wildcard bind). */
    public String localUrl() {
        InetAddress a = server.getAddress().getAddress();
        String host = a.isAnyLocalAddress() ? InetAddress.getLoopbackAddress().getHostAddress() : a.getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return config.scheme() + "://" + host + ":" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
