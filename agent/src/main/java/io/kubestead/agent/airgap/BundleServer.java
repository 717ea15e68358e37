package io.kubestead.agent.airgap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * Serves a master's extracted air-gap bundle to joining nodes over HTTPS: {@code GET /manifest.json},
 * {@code /manifest.sig} and {@code /files/<manifest path>}, each only with {@code Authorization: Bearer <token>}
 * for a valid bootstrap token. Only paths the manifest lists are served, so nothing else on the master is reachable.
 */
public final class BundleServer implements AutoCloseable {
    public static final int DEFAULT_PORT = io.kubestead.agent.spec.JoinSpecParser.DEFAULT_BUNDLE_SERVER_PORT;
    static final String FILES = "/files/";

    private final HttpsServer server;
    private final ExecutorService pool;
    private final Path dir;
    private final Map<String, ExtractedBundle.BundleFile> files;
    private final TokenCheck tokens;

    private BundleServer(HttpsServer server, ExecutorService pool, Path dir, ExtractedBundle bundle, TokenCheck tokens) {
        this.server = server;
        this.pool = pool;
        this.dir = dir;
        this.files = bundle.files().stream().collect(Collectors.toMap(ExtractedBundle.BundleFile::path, Function.identity()));
        this.tokens = tokens;
    }

    /** Starts serving {@code dir} (an extracted bundle) on {@code bind}. */
    public static BundleServer start(Path dir, InetSocketAddress bind, SSLContext tls, TokenCheck tokens) throws IOException {
        byte[] manifest = Files.readAllBytes(dir.resolve(ExtractedBundle.MANIFEST));
        ExtractedBundle bundle = ExtractedBundle.parse(dir.toString(), manifest);
        HttpsServer https = HttpsServer.create(bind, 16);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        https.setExecutor(pool);
        BundleServer s = new BundleServer(https, pool, dir, bundle, tokens);
        https.createContext("/", s::handle);
        https.start();
        return s;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET")) {
                reply(ex, 405, "only GET\n");
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ") || !tokens.valid(auth.substring(7).strip())) {
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

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
