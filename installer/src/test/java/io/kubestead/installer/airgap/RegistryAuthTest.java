package io.kubestead.installer.airgap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path registry.k8s.io takes: the front host redirects to a mirror that wants its own anonymous bearer token
 * (scope named in its challenge), and the mirror redirects blobs to a CDN that refuses requests carrying a token.
 */
class RegistryAuthTest {
    private static final byte[] CONFIG = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
    private static final String CONFIG_DIGEST = "sha256:" + DownloaderTest.sha(CONFIG);
    private static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + CONFIG_DIGEST
            + "\",\"size\":" + CONFIG.length + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private HttpServer front;
    private HttpServer mirror;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        front = server();
        mirror = server();
        String m = "http://" + host(mirror);
        front.createContext("/v2/", ex -> {
            log.add("front " + ex.getRequestURI().getPath() + " auth=" + ex.getRequestHeaders().getFirst("Authorization"));
            redirect(ex, m + ex.getRequestURI().getPath().replace("/v2/pause/", "/v2/prod/images/pause/"));
        });
        front.createContext("/cdn/", ex -> {
            log.add("cdn auth=" + ex.getRequestHeaders().getFirst("Authorization"));
            send(ex, ex.getRequestHeaders().containsKey("Authorization") ? 400 : 200, CONFIG, Map.of());
        });
        mirror.createContext("/token", ex -> {
            boolean ok = ex.getRequestURI().getQuery().contains("scope=repository:prod/images/pause:pull")
                    && ex.getRequestURI().getQuery().contains("service=mirror");
            send(ex, ok ? 200 : 403, "{\"token\":\"tok-mirror\"}".getBytes(StandardCharsets.UTF_8), Map.of());
        });
        mirror.createContext("/v2/", ex -> {
            if (!"Bearer tok-mirror".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, new byte[0], Map.of("WWW-Authenticate", "Bearer realm=\"" + m + "/token\",service=\"mirror\","
                        + "scope=\"repository:prod/images/pause:pull\""));
            } else if (ex.getRequestURI().getPath().endsWith("/manifests/3.10")) {
                send(ex, 200, MANIFEST, Map.of("Content-Type", "application/vnd.oci.image.manifest.v1+json"));
            } else {
                redirect(ex, "http://" + host(front) + "/cdn/" + CONFIG_DIGEST);
            }
        });
        front.start();
        mirror.start();
    }

    @AfterEach
    void stop() {
        front.stop(0);
        mirror.stop(0);
    }

    @Test
    void followsTheMirrorGetsItsTokenAndNeverSendsItToTheCdn() throws IOException {
        Path out = dir.resolve("pause.tar");
        String ref = host(front) + "/pause:3.10";
        new ImageFetcher(Set.of(host(front))).fetch(ref, "amd64", out, Instant.EPOCH, ProgressListener.NONE);
        Map<String, byte[]> entries = ImageFetchTest.read(out);
        assertEquals(new String(CONFIG, StandardCharsets.UTF_8),
                new String(entries.get("blobs/sha256/" + CONFIG_DIGEST.substring(7)), StandardCharsets.UTF_8));
        assertTrue(log.contains("cdn auth=null"), log.toString());
        assertTrue(log.stream().filter(l -> l.startsWith("front /v2/")).allMatch(l -> l.endsWith("auth=null")), log.toString());
    }

    @Test
    void aRefusedTokenRequestIsNamed() {
        mirror.removeContext("/token");
        mirror.createContext("/token", ex -> send(ex, 403, new byte[0], Map.of()));
        IOException e = assertThrows(IOException.class, () -> new ImageFetcher(Set.of(host(front)))
                .fetch(host(front) + "/pause:3.10", "amd64", dir.resolve("p.tar"), Instant.EPOCH, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("token request to http://" + host(mirror) + "/token answered HTTP 403"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("p.tar")));
    }

    private static HttpServer server() throws IOException {
        return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    }

    private static String host(HttpServer s) {
        return "127.0.0.1:" + s.getAddress().getPort();
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        send(ex, 307, new byte[0], Map.of("Location", location));
    }

    private static void send(HttpExchange ex, int status, byte[] body, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }
}
