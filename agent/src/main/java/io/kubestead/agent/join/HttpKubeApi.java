package io.kubestead.agent.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubestead.agent.etcd.PemTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link KubeApi} over HTTPS with a bearer token (the joiner's bootstrap token) and the cluster CA as the only
 * trust anchor. The token is sent in a header only, never logged or put in messages.
 */
public final class HttpKubeApi implements KubeApi {
    private final URI server;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    /** @param server e.g. {@code https://10.0.0.10:6443}; @param caPem the cluster CA certificate (PEM) */
    public HttpKubeApi(URI server, String caPem, String bearerToken, Duration timeout) {
        this.server = server;
        this.authorization = "Bearer " + bearerToken;
        this.timeout = timeout;
        // HTTP/1.1: the real kube-apiserver ends the JDK client's HTTP/2 connections with GOAWAY before any answer
        this.http = HttpClient.newBuilder().sslContext(PemTls.trusting(caPem)).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout).build();
    }

    @Override
    public Optional<ObjectNode> get(String path) {
        HttpResponse<String> r = send(request(path).GET(), path);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(object(r, "GET", path));
    }

    @Override
    public ObjectNode create(String collectionPath, ObjectNode object) {
        return object(send(request(collectionPath).POST(body(object)), collectionPath), "POST", collectionPath);
    }

    @Override
    public ObjectNode update(String path, ObjectNode object) {
        return object(send(request(path).PUT(body(object)), path), "PUT", path);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(server.resolve(path)).timeout(timeout)
                .header("Authorization", authorization).header("Accept", "application/json")
                .header("Content-Type", "application/json");
    }

    private static HttpRequest.BodyPublisher body(ObjectNode object) {
        return HttpRequest.BodyPublishers.ofString(object.toString());
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String path) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new KubeApiException("cannot reach the API server " + server + " for " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubeApiException("interrupted calling " + path, e);
        }
    }

    private ObjectNode object(HttpResponse<String> r, String verb, String path) {
        JsonNode body;
        try {
            body = json.readTree(r.body());
        } catch (IOException e) {
            body = null;
        }
        if (r.statusCode() / 100 != 2 || !(body instanceof ObjectNode)) {
            // A Status object's message says what RBAC or admission refused; fall back to the status code.
            String message = body == null ? "" : body.path("message").asText("");
            throw new KubeApiException(r.statusCode(), verb + " " + path + ": HTTP " + r.statusCode()
                    + (message.isEmpty() ? "" : ": " + message));
        }
        return (ObjectNode) body;
    }
}
