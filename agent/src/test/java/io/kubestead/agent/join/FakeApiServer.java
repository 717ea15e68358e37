package io.kubestead.agent.join;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.kubestead.agent.etcd.PemTls;
import io.kubestead.agent.etcd.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;

/**
 * {@link FakeKubeApi} served over HTTPS on 127.0.0.1 with bearer-token checks and Status-shaped errors; a wrong
 * token gets 401, no token reads only kube-public/cluster-info.
 */
public final class FakeApiServer implements AutoCloseable {
    private final HttpsServer server;
    private final FakeKubeApi store = new FakeKubeApi();
    private final String token;
    private final java.util.concurrent.atomic.AtomicInteger unavailable = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.Set<String> forbidden = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger withToken = new java.util.concurrent.atomic.AtomicInteger();
    private final ObjectMapper json = new ObjectMapper();

    public FakeApiServer(TestPki pki, String token) throws IOException {
        this(serving(pki), token);
    }

    /** Serves TLS with {@code tls} (its key managers hold the serving certificate) and accepts {@code token}. */
    public FakeApiServer(javax.net.ssl.SSLContext tls, String token) throws IOException {
        this.token = token;
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", this::handle);
        server.start();
    }

    private static javax.net.ssl.SSLContext serving(TestPki pki) throws IOException {
        TestPki.Files3 tls = pki.issue("apiserver");
        return PemTls.mutual(Files.readString(tls.ca()), Files.readString(tls.cert()), Files.readString(tls.key()));
    }

    public URI uri() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    /** How many requests carried an Authorization header (a token sent to this server). */
    public int requestsWithToken() {
        return withToken.get();
    }

    /** The next {@code n} requests get 503, as from a balancer with no API server behind it yet. */
    public void unavailableFor(int n) {
        unavailable.set(n);
    }

    /** Authenticated requests under {@code pathPrefix} get 403, as without an RBAC grant. */
    public void forbid(String pathPrefix) {
        forbidden.add(pathPrefix);
    }

    public FakeKubeApi store() {
        return store;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                reply(ex, 503, status(503, "the server is currently unable to handle the request"));
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null && ex.getRequestMethod().equals("GET")
                    && ex.getRequestURI().getPath().equals(ClusterInfo.PATH)) {
                // like kubeadm's RBAC: cluster-info is readable by system:anonymous
                Optional<ObjectNode> o = store.get(ClusterInfo.PATH);
                reply(ex, o.isPresent() ? 200 : 404, o.orElse(status(404, "configmaps \"cluster-info\" not found")));
                return;
            }
            if (auth != null) {
                withToken.incrementAndGet();
            }
            if (!("Bearer " + token).equals(auth)) {
                reply(ex, 401, status(401, "Unauthorized"));
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (forbidden.stream().anyMatch(path::startsWith)) {
                reply(ex, 403, status(403, "forbidden: User \"system:bootstrap:abcdef\" cannot access " + path));
                return;
            }
            try {
                switch (ex.getRequestMethod()) {
                    case "GET" -> {
                        Optional<ObjectNode> o = store.get(path);
                        reply(ex, o.isPresent() ? 200 : 404, o.orElse(status(404, "leases \"x\" not found")));
                    }
                    case "POST" -> reply(ex, 201, store.create(path, body(ex)));
                    case "PUT" -> reply(ex, 200, store.update(path, body(ex)));
                    default -> reply(ex, 405, status(405, "method not allowed"));
                }
            } catch (KubeApiException e) {
                reply(ex, e.status(), status(e.status(), e.getMessage()));
            }
        }
    }

    private ObjectNode body(HttpExchange ex) throws IOException {
        return (ObjectNode) json.readTree(ex.getRequestBody());
    }

    private ObjectNode status(int code, String message) {
        ObjectNode s = json.createObjectNode().put("kind", "Status").put("apiVersion", "v1").put("status", "Failure");
        return s.put("message", message).put("code", code);
    }

    private static void reply(HttpExchange ex, int code, ObjectNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
