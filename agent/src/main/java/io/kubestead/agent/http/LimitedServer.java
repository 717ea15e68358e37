package io.kubestead.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.InputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * The JDK's HTTP(S) server with the limits a server open to the network needs; {@code installer serve},
 * {@code kubestead bundle-serve} and {@code kubestead console} start theirs here. Out of the box the JDK server waits
 * forever for a request's header and for a client to read its response, each on one of the caller's threads, so a
 * few clients that never finish a header or never read hold every thread and starve everyone else. Here:
 * <ul>
 * <li>a request line, its headers and its body must arrive within {@link #HEADER_SECONDS} of the request's first
 *     byte ({@code sun.net.httpserver.maxReqTime}, which runs until the body is read to its end), a new connection
 *     must send its first byte within the same time, and a kept-alive connection may stay idle {@link #IDLE_SECONDS}
 *     ({@code sun.net.httpserver.idleInterval}); the JDK checks both each second ({@code timerMillis},
 *     {@code clockTick}, whose default is 10 s);</li>
 * <li>a read of a request body that gets nothing for {@link #STALL_SECONDS} is cut as a stalled write is (below),
 *     which also bounds a body in a process whose first JDK server was made without these settings;</li>
 * <li>a write of the response (status line and headers, each body chunk, the final flush) that makes no progress for
 *     {@link #STALL_SECONDS} is cut: its thread is interrupted, which closes the connection. A slow download that
 *     moves is not ({@code maxRspTime} would cut a long one, so it stays unset);</li>
 * <li>at most {@link #MAX_CONNECTIONS} connections are open ({@code jdk.httpserver.maxConnections}; more are closed
 *     on accept) and up to as many threads are made on demand, so no request waits for a thread another holds.</li>
 * </ul>
 * The JDK reads its settings once per process, when the first server is made; {@link #jdkSettings} sets them before
 * that, except those already given with {@code -D}. A process must therefore make its first JDK server here.
 */
public final class LimitedServer implements AutoCloseable {
    public static final int HEADER_SECONDS = 10;
    public static final int IDLE_SECONDS = 30;
    public static final int STALL_SECONDS = 30;
    public static final int MAX_CONNECTIONS = 512;
    /** Body writes are watched in pieces of this size, so one large write cannot hide a stall. */
    static final int CHUNK = 64 * 1024;

    private final HttpServer server;
    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService watchdog;
    private final Set<Write> writes = ConcurrentHashMap.newKeySet();

    private LimitedServer(HttpServer server, String name) {
        this.server = server;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-stalls");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        watchdog.scheduleAtFixedRate(this::cutStalled, 1, 1, TimeUnit.SECONDS);
    }

    /** A plain HTTP server on {@code bind}, not started yet. */
    public static LimitedServer http(InetSocketAddress bind, String name) throws IOException {
        jdkSettings().forEach(System::setProperty);
        return new LimitedServer(HttpServer.create(bind, 128), name);
    }

    /** An HTTPS server on {@code bind}, not started yet. */
    public static LimitedServer https(InetSocketAddress bind, SSLContext tls, String name) throws IOException {
        return https(bind, tls, name, false);
    }

    /**
     * An HTTPS server on {@code bind}, not started yet; with {@code askForClientCertificate} the handshake asks the
     * client for a certificate (verified by {@code tls}'s trust managers) but goes on without one: see
     * {@link #tlsSession}.
     */
    public static LimitedServer https(InetSocketAddress bind, SSLContext tls, String name, boolean askForClientCertificate)
            throws IOException {
        jdkSettings().forEach(System::setProperty);
        HttpsServer s = HttpsServer.create(bind, 128);
        s.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                p.setWantClientAuth(askForClientCertificate);
                params.setSSLParameters(p);
            }
        });
        return new LimitedServer(s, name);
    }

    /** The TLS session of an exchange this server handed to a handler; empty on plain HTTP. */
    public static Optional<SSLSession> tlsSession(HttpExchange ex) {
        HttpExchange inner = ex instanceof GuardedExchange g ? g.inner() : ex;
        return inner instanceof HttpsExchange h ? Optional.ofNullable(h.getSSLSession()) : Optional.empty();
    }

    /**
     * The JDK server's system properties for the limits above, leaving out any the command line already set (values
     * in seconds, clock ticks in milliseconds).
     */
    static Map<String, String> jdkSettings() {
        Map<String, String> all = Map.of(
                "sun.net.httpserver.maxReqTime", Integer.toString(HEADER_SECONDS),
                "sun.net.httpserver.idleInterval", Integer.toString(IDLE_SECONDS),
                "sun.net.httpserver.timerMillis", "1000",
                "sun.net.httpserver.clockTick", "1000",
                "jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
        Map<String, String> unset = new java.util.HashMap<>();
        all.forEach((k, v) -> {
            if (System.getProperty(k) == null) {
                unset.put(k, v);
            }
        });
        return unset;
    }

    /** Serves {@code path} with {@code handler}, which sees an exchange whose response writes are watched. */
    public void createContext(String path, HttpHandler handler) {
        server.createContext(path, ex -> handler.handle(new GuardedExchange(ex, this)));
    }

    public void start() {
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        watchdog.shutdownNow();
    }

    /** An output stream whose writes are cut when they make no progress for {@link #STALL_SECONDS}. */
    OutputStream guard(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int done = 0; done < len; ) {
                    int n = Math.min(CHUNK, len - done);
                    int from = off + done;
                    watched(() -> out.write(b, from, n));
                    done += n;
                }
            }

            @Override
            public void flush() throws IOException {
                watched(out::flush);
            }

            @Override
            public void close() throws IOException {
                watched(out::close);
            }
        };
    }

    /** An input stream whose reads are cut when they wait for the client more than {@link #STALL_SECONDS}. */
    InputStream guard(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int[] n = new int[1];
                watched(() -> n[0] = in.read(b, off, len));
                return n[0];
            }
        };
    }

    interface IoAction {
        void run() throws IOException;
    }

    /** Runs one blocking write; if the watchdog finds it stalled it interrupts it and this throws. */
    void watched(IoAction action) throws IOException {
        Write w = new Write(Thread.currentThread(), System.nanoTime());
        writes.add(w);
        IOException failure = null;
        try {
            action.run();
        } catch (IOException e) {
            failure = e;
        } finally {
            writes.remove(w);
            if (w.end()) {
                // the interrupt closed the channel already; clear it so it cannot reach the thread's next task
                Thread.interrupted();
                failure = new InterruptedIOException("the client made no progress for " + STALL_SECONDS
                        + " s: connection closed");
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void cutStalled() {
        long now = System.nanoTime();
        for (Write w : writes) {
            w.cutIfStalled(now);
        }
    }

    /** One blocking write in progress. Interrupting its thread closes the socket channel it is blocked on. */
    private static final class Write {
        private final Thread thread;
        private final long started;
        private boolean ended;
        private boolean cut;

        Write(Thread thread, long started) {
            this.thread = thread;
            this.started = started;
        }

        synchronized void cutIfStalled(long now) {
            if (!ended && !cut && now - started > TimeUnit.SECONDS.toNanos(STALL_SECONDS)) {
                cut = true;
                thread.interrupt();
            }
        }

        /** Marks the write over; true if it was cut. */
        synchronized boolean end() {
            ended = true;
            return cut;
        }
    }
}
