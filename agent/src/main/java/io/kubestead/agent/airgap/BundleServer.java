package io.kubestead.agent.airgap;

import com.sun.net.httpserver.HttpExchange;
import io.kubestead.agent.http.LimitedServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * Serves a master's extracted air-gap bundle to joining nodes over HTTPS: {@code GET /manifest.json},
 * {@code /manifest.sig} and {@code /files/<manifest path>}, each only with {@code Authorization: Bearer <token>}
 * for a valid bootstrap token. Only paths the manifest lists are served, so nothing else on the master is reachable.
 * Slow or stalled clients are cut by {@link LimitedServer}'s limits, as for {@code installer serve}.
 */
public final class BundleServer implements AutoCloseable {
    public static final int DEFAULT_PORT = io.kubestead.agent.spec.JoinSpecParser.DEFAULT_BUNDLE_SERVER_PORT;
    static final String FILES = "/files/";
    static final int CHECKS = 4;

    private final LimitedServer server;
    private final Path dir;
    private final Map<String, ExtractedBundle.BundleFile> files;
    private final TokenCheck tokens;
    private final Semaphore checks = new Semaphore(CHECKS);

    private BundleServer(LimitedServer server, Path dir, ExtractedBundle bundle, TokenCheck tokens) {
        this.server = server;
        this.dir = dir;
        this.files = bundle.files().stream().collect(Collectors.toMap(ExtractedBundle.BundleFile::path, Function.identity()));
        this.tokens = tokens;
    }

    /** Starts serving {@code dir} (an extracted bundle) on {@code bind}. */
    public static BundleServer start(Path dir, InetSocketAddress bind, SSLContext tls, TokenCheck tokens) throws IOException {
        byte[] manifest = Files.readAllBytes(dir.resolve(ExtractedBundle.MANIFEST));
        ExtractedBundle bundle = ExtractedBundle.parse(dir.toString(), manifest);
        LimitedServer https = LimitedServer.https(bind, tls, "bundle-serve");
        BundleServer s = new BundleServer(https, dir, bundle, tokens);
        https.createContext("/", s::handle);
        https.start();
        return s;
    }

    public InetSocketAddress address() {
        return server.address();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET")) {
                reply(ex, 405, "only GET\n");
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            Boolean valid = auth == null || !auth.startsWith("Bearer ") ? Boolean.FALSE : checked(auth.substring(7).strip());
            if (valid == null) {
                reply(ex, 503, "too many token checks at once; try again\n");
                return;
            }
            if (!valid) {
                reply(ex, 401, "a valid bootstrap token is needed (Authorization: Bearer <token>)\n");
                return;
            }
            String path = ex.getRequestURI().getPath();
            Path file;
            if (path.equals("/" + ExtractedBundle.MANIFEST) || path.equals("/manifest.sig")) {
                file = dir.resolve(path.substring(1));
            } else if (path.startsWith(FILES) && files.containsKey(path.substring(FILES.length()))) {
                file = dir.resolve(path.substring(FILES.length()));
            } else {
                reply(ex, 404, "not in the bundle manifest\n");
                return;
            }
            if (!Files.isRegularFile(file)) {
                reply(ex, 404, "missing on this master\n");
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, Files.size(file));
            try (InputStream in = Files.newInputStream(file); OutputStream out = ex.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    /**
     * The token check, at most {@link #CHECKS} at once (each may run kubectl, and the server has a thread for every
     * open connection); null if none was free within 20 s.
     */
    private Boolean checked(String token) throws IOException {
        try {
            if (!checks.tryAcquire(20, TimeUnit.SECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to check a token");
        }
        try {
            return tokens.valid(token);
        } finally {
            checks.release();
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.close();
    }
}
