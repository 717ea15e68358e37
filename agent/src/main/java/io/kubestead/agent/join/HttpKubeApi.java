package io.kubestead.agent.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubestead.agent.etcd.PemTls;
import io.kubestead.agent.pki.Kubeconfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * {@link KubeApi} over HTTPS with the cluster CA as the only trust anchor, authenticated by a bearer token (the
 * joiner's bootstrap token; sent in a header only, never logged or put in messages) or by a kubeconfig's client
 * certificate (admin.conf on a master). Answers are read up to {@link #MAX_BODY} bytes.
 */
public final class HttpKubeApi implements KubeApi {
    /** Bigger than the node and pod lists of a large cluster; a longer answer is refused, not buffered. */
    public static final int MAX_BODY = 64 << 20;
    private final URI server;
    private final Optional<String> authorization;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    /** @param server e.g. {@code https://10.0.0.10:6443}; @param caPem the cluster CA certificate (PEM) */
    public HttpKubeApi(URI server, String caPem, String bearerToken, Duration timeout) {
        this(server, PemTls.trusting(caPem), Optional.of("Bearer " + bearerToken), timeout);
    }

    private HttpKubeApi(URI server, SSLContext tls, Optional<String> authorization, Duration timeout) {
        this.server = server;
        this.authorization = authorization;
        this.timeout = timeout;
        // HTTP/1.1: the real kube-apiserver ends the JDK client's HTTP/2 connections with GOAWAY before any answer
        this.http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout).build();
    }

    /**
     * With a kubeconfig's embedded CA and client certificate (admin.conf), at {@code server} when given (a test
     * reaches the API server by address), else at the kubeconfig's own server.
     */
    public static HttpKubeApi fromKubeconfig(byte[] kubeconfig, Optional<URI> server, Duration timeout) {
        Kubeconfig kc;
        try {
            kc = Kubeconfig.parse(kubeconfig);
        } catch (IOException e) {
            throw new KubeApiException("cannot read the kubeconfig: " + e.getMessage(), e);
        }
        SSLContext tls = PemTls.mutual(new String(kc.caPem(), StandardCharsets.US_ASCII),
                new String(kc.certPem(), StandardCharsets.US_ASCII), new String(kc.keyPem(), StandardCharsets.US_ASCII));
        return new HttpKubeApi(server.orElse(URI.create(kc.server())), tls, Optional.empty(), timeout);
    }

    @Override
    public Optional<ObjectNode> get(String path) {
        Reply r = send(request(path).GET(), path);
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

    @Override
    public boolean delete(String path) {
        Reply r = send(request(path).DELETE(), path);
        if (r.statusCode() == 404) {
            return false;
        }
        object(r, "DELETE", path);
        return true;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path)).timeout(timeout)
                .header("Accept", "application/json").header("Content-Type", "application/json");
        authorization.ifPresent(a -> b.header("Authorization", a));
        return b;
    }

    private static HttpRequest.BodyPublisher body(ObjectNode object) {
        return HttpRequest.BodyPublishers.ofString(object.toString());
    }

    private Reply send(HttpRequest.Builder request, String path) {
        try {
            HttpResponse<InputStream> r = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            return new Reply(r.statusCode(), bounded(r.body(), path));
        } catch (IOException e) {
            throw new KubeApiException("cannot reach the API server " + server + " for " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubeApiException("interrupted calling " + path, e);
        }
    }

    private static String bounded(InputStream in, String path) throws IOException {
        try (in) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new IOException("the answer for " + path + " is longer than " + (MAX_BODY >> 20) + " MiB");
            }
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A status and a body read within the bound. */
    private record Reply(int statusCode, String body) {
    }

    private ObjectNode object(Reply r, String verb, String path) {
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
