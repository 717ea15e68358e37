package io.kubestead.agent.lb;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Just enough of the Kubernetes API for a real kubectl to list nodes: discovery (/api, /apis, /api/v1) and
 * /api/v1/nodes with the masters it is given, over TLS with a test CA. Counts the node lists it served.
 */
final class NodesApi implements AutoCloseable {
    private final HttpsServer server;
    private final TestPki pki;
    final List<Master> masters = new CopyOnWriteArrayList<>();
    final AtomicInteger nodeLists = new AtomicInteger();

    NodesApi() throws Exception {
        pki = new TestPki("kubernetes");
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(pki.apiserver("m1").serverContext(pki.ca())));
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** A kubeconfig that trusts the test CA and reaches this server. */
    void writeKubeconfig(Path file) throws Exception {
        String ca = Base64.getEncoder().encodeToString(("-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pki.ca().getEncoded())
                + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII));
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: https://127.0.0.1:%d
                    certificate-authority-data: %s
                users:
                - name: test
                  user:
                    token: test-token
                contexts:
                - name: test
                  context: {cluster: test, user: test}
                current-context: test
                """.formatted(port(), ca));
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String body = switch (path) {
            case "/api" -> "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
                    + "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1:" + port() + "\"}]}";
            case "/apis" -> "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}";
            case "/api/v1" -> "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":[{\"name\":\"nodes\","
                    + "\"singularName\":\"node\",\"namespaced\":false,\"kind\":\"Node\",\"verbs\":[\"get\",\"list\",\"watch\"],"
                    + "\"shortNames\":[\"no\"]}]}";
            case "/version" -> "{\"major\":\"1\",\"minor\":\"33\",\"gitVersion\":\"v1.33.6\"}";
            case "/api/v1/nodes" -> nodes();
            default -> null;
        };
        byte[] bytes = (body == null ? "{\"kind\":\"Status\",\"code\":404}" : body).getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    private String nodes() {
        nodeLists.incrementAndGet();
        StringBuilder items = new StringBuilder();
        for (Master m : masters) {
            if (items.length() > 0) {
                items.append(',');
            }
            items.append("{\"metadata\":{\"name\":\"").append(m.name()).append("\",\"labels\":{\"node-role.kubernetes.io/control-plane\":\"\"}},")
                    .append("\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"").append(m.address())
                    .append("\"},{\"type\":\"Hostname\",\"address\":\"").append(m.name()).append("\"}]}}");
        }
        return "{\"kind\":\"NodeList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[" + items + "]}";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
