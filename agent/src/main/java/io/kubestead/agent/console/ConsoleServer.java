package io.kubestead.agent.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.kubestead.agent.http.LimitedServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The console over HTTPS: the sign-in page and its assets are open; every other page and call needs a session
 * (cookie {@value #COOKIE}: HttpOnly, Secure, SameSite=Strict), and every change also the session's CSRF token in
 * {@value #CSRF_HEADER}. Calls that change something take JSON only and, from a browser, only from this origin.
 * Password sign-ins pass {@link SignInLimiter} before the hash is computed; a client certificate from the cluster CA
 * with the admin identity ({@link AdminCertificate}) signs in without a password.
 */
public final class ConsoleServer implements AutoCloseable {
    public static final String COOKIE = "__Host-kubestead-session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** Larger request bodies are refused (a sign-in or an Add Node request is a few dozen bytes). */
    public static final int MAX_BODY = 4096;
    /** How long the Cluster page's data is reused before the cluster is asked again. */
    static final Duration LOOK_REUSE = Duration.ofSeconds(5);
    /** Password hashes computed at once; more sign-ins wait for one, up to 10 s. */
    static final int HASHING = 2;
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LimitedServer server;
    private final Passwords passwords;
    private final Sessions sessions;
    private final SignInLimiter limiter;
    private final ClusterSource cluster;
    private final JoinOffers joins;
    private final Clock clock;
    private final PrintWriter log;
    private final Assets assets = Assets.load();
    private final Semaphore hashing = new Semaphore(HASHING);
    private final Object joining = new Object();
    private ClusterView lastLook;
    private java.time.Instant lastLookAt;

    /** Where the password hash is read from, at each sign-in (so a new password works without a restart). */
    @FunctionalInterface
    public interface Passwords {
        Optional<PasswordHash> current();
    }

    private ConsoleServer(LimitedServer server, Passwords passwords, Sessions sessions, SignInLimiter limiter,
                          ClusterSource cluster, JoinOffers joins, Clock clock, PrintWriter log) {
        this.server = server;
        this.passwords = passwords;
        this.sessions = sessions;
        this.limiter = limiter;
        this.cluster = cluster;
        this.joins = joins;
        this.clock = clock;
        this.log = log;
    }

    /** Starts serving on {@code bind}; {@code tls} holds the serving certificate and trusts the cluster CA for clients. */
    public static ConsoleServer start(InetSocketAddress bind, SSLContext tls, Passwords passwords, Sessions sessions,
                                      SignInLimiter limiter, ClusterSource cluster, JoinOffers joins, Clock clock,
                                      PrintWriter log) throws IOException {
        LimitedServer https = LimitedServer.https(bind, tls, "console", true);
        ConsoleServer s = new ConsoleServer(https, passwords, sessions, limiter, cluster, joins, clock, log);
        https.createContext("/", s::handle);
        https.start();
        return s;
    }

    public InetSocketAddress address() {
        return server.address();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            headers(ex);
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod();
            Optional<Sessions.Session> session = sessions.find(cookie(ex)).filter(this::passwordUnchanged);
            switch (path) {
                case "/login" -> {
                    if (!get(ex, method)) {
                        return;
                    }
                    if (session.isPresent()) {
                        redirect(ex, "/");
                    } else {
                        send(ex, 200, "text/html; charset=utf-8", assets.page("login.html"));
                    }
                }
                case "/" -> {
                    if (!get(ex, method)) {
                        return;
                    }
                    if (session.isEmpty()) {
                        redirect(ex, "/login");
                    } else {
                        send(ex, 200, "text/html; charset=utf-8", assets.page("cluster.html"));
                    }
                }
                case "/api/login/options" -> {
                    if (get(ex, method)) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("certificate", AdminCertificate.identity(ex).orElse(null));
                        json(ex, 200, m);
                    }
                }
                case "/api/login" -> signIn(ex, method);
                case "/api/session" -> {
                    if (get(ex, method) && signedIn(ex, session)) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("identity", session.get().identity());
                        m.put("csrf", session.get().csrf());
                        m.put("expires", session.get().expires().toString());
                        json(ex, 200, m);
                    }
                }
                case "/api/cluster" -> {
                    if (get(ex, method) && signedIn(ex, session)) {
                        clusterView(ex);
                    }
                }
                case "/api/join" -> {
                    Optional<JsonNode> body = change(ex, method, session);
                    if (body.isPresent()) {
                        join(ex, body.get());
                    }
                }
                case "/api/logout" -> {
                    if (change(ex, method, session).isPresent()) {
                        sessions.end(cookie(ex));
                        ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
                        json(ex, 200, Map.of("signedOut", true));
                    }
                }
                default -> {
                    if (path.startsWith("/assets/") && assets.has(path.substring(8))) {
                        if (get(ex, method)) {
                            send(ex, 200, Assets.type(path), assets.page(path.substring(8)));
                        }
                    } else {
                        error(ex, 404, "no such page");
                    }
                }
            }
        } catch (InterruptedIOException e) {
            // a stalled client, cut by the server's limits
        } catch (IOException | RuntimeException e) {
            log.println("console: " + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + " failed: " + e);
            log.flush();
            try {
                error(ex, 500, "the console failed to answer; see journalctl -u " + ConsolePaths.SERVICE);
            } catch (IOException | RuntimeException ignored) {
                // the response was under way already: the connection closes
            }
        }
    }

    private void signIn(HttpExchange ex, String method) throws IOException {
        Optional<JsonNode> body = post(ex, method);
        if (body.isEmpty()) {
            return;
        }
        String password = body.get().path("password").asText("");
        String identity;
        String credential = "";
        if (password.isEmpty()) {
            Optional<String> admin = AdminCertificate.identity(ex);
            if (admin.isEmpty()) {
                error(ex, 401, "give the console password, or connect with the admin client certificate");
                return;
            }
            identity = admin.get() + " (client certificate)";
        } else {
            String client = ex.getRemoteAddress().getAddress().getHostAddress();
            Optional<Duration> wait = limiter.attempt(client);
            if (wait.isPresent()) {
                long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
                ex.getResponseHeaders().set("Retry-After", Long.toString(seconds));
                error(ex, 429, "too many sign-in attempts; try again in " + seconds + " s");
                return;
            }
            Optional<String> checked = checkPassword(password);
            if (checked.isEmpty()) {
                error(ex, 401, "wrong password");
                return;
            }
            credential = checked.get();
            limiter.succeeded(client);
            identity = "admin (password)";
        }
        String value = sessions.start(identity, credential);
        ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + value + "; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age="
                + sessions.lifetime().toSeconds());
        json(ex, 200, Map.of("identity", identity));
    }

    /** A password session ends when the password changes (console password): it was signed in with the old one. */
    private boolean passwordUnchanged(Sessions.Session s) {
        return s.credential().isEmpty() || passwords.current().map(ConsoleServer::credential).orElse("").equals(s.credential());
    }

    private static String credential(PasswordHash hash) {
        return Sessions.digest(hash.encode());
    }

    /** Empty if {@code password} is wrong, else the credential the session records. */
    private Optional<String> checkPassword(String password) throws IOException {
        Optional<PasswordHash> hash = passwords.current();
        if (hash.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (!hashing.tryAcquire(10, TimeUnit.SECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to check a password");
        }
        char[] chars = password.toCharArray();
        try {
            return hash.get().matches(chars) ? Optional.of(credential(hash.get())) : Optional.empty();
        } finally {
            java.util.Arrays.fill(chars, '\0');
            hashing.release();
        }
    }

    private void clusterView(HttpExchange ex) throws IOException {
        ClusterView view;
        synchronized (this) {
            java.time.Instant now = clock.instant();
            if (lastLook == null || lastLookAt.plus(LOOK_REUSE).isBefore(now) || now.isBefore(lastLookAt)) {
                lastLook = cluster.look();
                lastLookAt = now;
            }
            view = lastLook;
        }
        json(ex, 200, view);
    }

    private void join(HttpExchange ex, JsonNode body) throws IOException {
        String role = body.path("role").asText("");
        if (!role.equals("master") && !role.equals("worker")) {
            error(ex, 400, "role must be master or worker");
            return;
        }
        JoinOffers.JoinOffer offer;
        try {
            synchronized (joining) { // one at a time: each replaces the token and scripts the last one made
                offer = joins.issue(role.equals("master"));
            }
        } catch (JoinOffers.Refused e) {
            error(ex, 409, e.getMessage());
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", offer.role());
        m.put("command", offer.command());
        m.put("expires", offer.expires().toString());
        json(ex, 200, m);
    }

    // --- request checks

    private boolean get(HttpExchange ex, String method) throws IOException {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET");
            error(ex, 405, "only GET here");
            return false;
        }
        return true;
    }

    private boolean signedIn(HttpExchange ex, Optional<Sessions.Session> session) throws IOException {
        if (session.isEmpty()) {
            error(ex, 401, "sign in first");
            return false;
        }
        return true;
    }

    /** A change: POST with JSON from this origin, a live session and its CSRF token; the body, or empty if refused. */
    private Optional<JsonNode> change(HttpExchange ex, String method, Optional<Sessions.Session> session) throws IOException {
        if (!method.equals("POST")) {
            ex.getResponseHeaders().set("Allow", "POST");
            error(ex, 405, "only POST here");
            return Optional.empty();
        }
        if (!signedIn(ex, session)) {
            return Optional.empty();
        }
        String token = ex.getRequestHeaders().getFirst(CSRF_HEADER);
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                session.get().csrf().getBytes(StandardCharsets.UTF_8))) {
            error(ex, 403, "missing or wrong " + CSRF_HEADER + ": reload the page");
            return Optional.empty();
        }
        return post(ex, method);
    }

    /** A POST with a JSON body of at most {@link #MAX_BODY} bytes from this origin; the body, or empty if refused. */
    private Optional<JsonNode> post(HttpExchange ex, String method) throws IOException {
        if (!method.equals("POST")) {
            ex.getResponseHeaders().set("Allow", "POST");
            error(ex, 405, "only POST here");
            return Optional.empty();
        }
        if (!sameOrigin(ex)) {
            error(ex, 403, "cross-site request refused");
            return Optional.empty();
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            error(ex, 415, "send JSON (Content-Type: application/json)");
            return Optional.empty();
        }
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null && (!length.matches("[0-9]{1,9}") || Integer.parseInt(length) > MAX_BODY)) {
            error(ex, 413, "request body over " + MAX_BODY + " bytes");
            return Optional.empty();
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            error(ex, 413, "request body over " + MAX_BODY + " bytes");
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) {
                throw new IOException("not a JSON object");
            }
            return Optional.of(n);
        } catch (IOException e) {
            error(ex, 400, "the body is not a JSON object");
            return Optional.empty();
        }
    }

    /** A browser says where a request comes from; one from another site is refused (a non-browser client sends neither). */
    private static boolean sameOrigin(HttpExchange ex) {
        String site = ex.getRequestHeaders().getFirst("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return false;
        }
        String origin = ex.getRequestHeaders().getFirst("Origin");
        String host = ex.getRequestHeaders().getFirst("Host");
        return origin == null || (host != null && origin.equals("https://" + host));
    }

    private static String cookie(HttpExchange ex) {
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(COOKIE + "=")) {
                    return p.substring(COOKIE.length() + 1);
                }
            }
        }
        return null;
    }

    // --- responses

    private static void headers(HttpExchange ex) {
        var h = ex.getResponseHeaders();
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Frame-Options", "DENY");
        h.set("Content-Security-Policy", CSP);
        h.set("Strict-Transport-Security", "max-age=31536000");
        h.set("Cross-Origin-Opener-Policy", "same-origin");
        h.set("Cross-Origin-Resource-Policy", "same-origin");
    }

    private static void redirect(HttpExchange ex, String to) throws IOException {
        ex.getResponseHeaders().set("Location", to);
        ex.sendResponseHeaders(303, -1);
    }

    private static void error(HttpExchange ex, int status, String message) throws IOException {
        json(ex, status, Map.of("error", message));
    }

    private static void json(HttpExchange ex, int status, Object value) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(value));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.close();
    }
}
