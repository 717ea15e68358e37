package io.kubestead.installer.serve;

import io.kubestead.agent.http.LimitedServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;

/**
 * Serves a directory (install.sh, SHA256SUMS, agent and airgap bundles) over HTTP or HTTPS with
 * the JDK's built-in server, under {@link LimitedServer}'s limits (header, idle and stall times,
 * a thread for every open connection). Port 0 picks a free port; {@link #port()} tells which.
 */
public final class FileServer implements AutoCloseable {

    private final ServeConfig config;
    private final LimitedServer server;

    private FileServer(ServeConfig config, LimitedServer server) {
        this.config = config;
        this.server = server;
    }

    /** Binds and starts serving; fails naming the directory or address if that is impossible. */
    public static FileServer start(ServeConfig config, PrintStream log) throws IOException {
        if (!Files.isDirectory(config.root())) {
            throw new IllegalArgumentException("cannot serve " + config.root() + ": not a directory");
        }
        InetSocketAddress addr = new InetSocketAddress(InetAddress.getByName(config.bind()), config.port());
        LimitedServer server = config.tls().isPresent()
                ? LimitedServer.https(addr, TlsContexts.fromPem(config.tls().get()), "serve")
                : LimitedServer.http(addr, "serve");
        server.createContext("/", new StaticFileHandler(config, log));
        server.start();
        return new FileServer(config, server);
    }

    public int port() {
        return server.address().getPort();
    }

    /** A URL clients on this machine can use (the bind address, or loopback for a wildcard bind). */
    public String localUrl() {
        InetAddress a = server.address().getAddress();
        String host = a.isAnyLocalAddress() ? InetAddress.getLoopbackAddress().getHostAddress() : a.getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return config.scheme() + "://" + host + ":" + port();
    }

    @Override
    public void close() {
        server.close();
    }
}
