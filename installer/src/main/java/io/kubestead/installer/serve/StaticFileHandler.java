package io.kubestead.installer.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * GET and HEAD for the files directly or deeper under the served directory. Refuses ".."
 * (also percent-encoded) and symlinks leading out; install.sh is served with the base URL
 * (and the bundle key, if given) written in. Logs one line per request.
 */
final class StaticFileHandler implements HttpHandler {

    private final Path root;
    private final ServeConfig config;
    private final PrintStream log;

    StaticFileHandler(ServeConfig config, PrintStream log) throws IOException {
        this.root = config.root().toRealPath();
        this.config = config;
        this.log = log;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        int status;
        long length = 0;
        try (ex) {
            boolean head = "HEAD".equals(method);
            if (!head && !"GET".equals(method)) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                status = send(ex, 405, text("only GET and HEAD\n"), false);
            } else if (!isClean(path)) {
                status = send(ex, 403, text("forbidden\n"), head);
            } else {
                Path file = resolve(path);
                if (file == null) {
                    status = send(ex, 404, text("not found\n"), head);
                } else if (file.getFileName().toString().equals(InstallScript.NAME)) {
                    String base = baseUrl(ex);
                    if (base == null) {
                        status = send(ex, 400, text("bad Host header\n"), head);
                    } else {
                        byte[] body = InstallScript.rewrite(Files.readAllBytes(file), base);
                        if (config.bundleKey().isPresent()) {
                            body = InstallScript.pinKey(body, config.bundleKey().get());
                        }
                        ex.getResponseHeaders().set("Content-Type", "text/x-shellscript; charset=utf-8");
                        status = send(ex, 200, body, head);
                        length = body.length;
                    }
                } else {
                    length = Files.size(file);
                    ex.getResponseHeaders().set("Content-Type", contentType(file));
                    status = 200;
                    sendFile(ex, file, length, head);
                }
            }
        }
        log.printf("%s %s %s %d %d%n", ex.getRemoteAddress().getAddress().getHostAddress(), method, path, status,
                "HEAD".equals(method) ? 0 : length);
    }

    /** No "..", ".", empty-but-inner segments, backslashes or NULs: nothing that could climb out. */
    private static boolean isClean(String path) {
        if (path == null || !path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0) {
            return false;
        }
        for (String seg : path.substring(1).split("/", -1)) {
            if (seg.equals("..") || seg.equals(".")) {
                return false;
            }
        }
        return true;
    }

    /** The regular file for a clean path, or null: missing, a directory, hidden, or outside root via symlink. */
    private Path resolve(String path) throws IOException {
        List<String> segs = List.of(path.substring(1).split("/"));
        if (segs.isEmpty() || segs.stream().anyMatch(s -> s.isEmpty() || s.startsWith("."))) {
            return null;
        }
        Path p = root.resolve(String.join("/", segs)).normalize();
        if (!p.startsWith(root) || !Files.isRegularFile(p)) {
            return null;
        }
        Path real = p.toRealPath();
        return real.startsWith(root) ? real : null;
    }

    private String baseUrl(HttpExchange ex) {
        if (config.baseUrl().isPresent()) {
            return config.baseUrl().get();
        }
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null) {
            var local = ex.getLocalAddress();
            host = local.getAddress().getHostAddress() + ":" + local.getPort();
        }
        return InstallScript.isSafeHost(host) ? config.scheme() + "://" + host : null;
    }

    private static int send(HttpExchange ex, int status, byte[] body, boolean head) throws IOException {
        if (head) {
            // The JDK server omits Content-Length for HEAD unless we set it ourselves.
            ex.getResponseHeaders().set("Content-Length", Long.toString(body.length));
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            ex.getResponseBody().write(body);
        }
        return status;
    }

    private static void sendFile(HttpExchange ex, Path file, long length, boolean head) throws IOException {
        if (head) {
            ex.getResponseHeaders().set("Content-Length", Long.toString(length));
            ex.sendResponseHeaders(200, -1);
            return;
        }
        ex.sendResponseHeaders(200, length == 0 ? -1 : length);
        try (OutputStream out = ex.getResponseBody()) {
            Files.copy(file, out);
        }
    }

    private static String contentType(Path file) {
        String n = file.getFileName().toString();
        if (n.endsWith(".tar.gz") || n.endsWith(".tgz")) {
            return "application/gzip";
        }
        if (n.endsWith(".sh") || n.equals("SHA256SUMS") || n.endsWith(".txt")) {
            return "text/plain; charset=utf-8";
        }
        return "application/octet-stream";
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
