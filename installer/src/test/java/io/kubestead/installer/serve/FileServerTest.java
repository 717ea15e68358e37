package io.kubestead.installer.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileServerTest {

    private static final String SCRIPT = "#!/usr/bin/env bash\nset -eu\n\nKUBESTEAD_BASE_URL=\"\"\nKUBESTEAD_BUNDLE_PUBLIC_KEY=\"\"\n\nmain() { :; }\n{ main; }\n";

    @TempDir
    Path tmp;

    private Path root;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private FileServer server;

    @BeforeEach
    void files() throws IOException {
        root = Files.createDirectories(tmp.resolve("dist"));
        Files.writeString(root.resolve("install.sh"), SCRIPT);
        Files.writeString(root.resolve("SHA256SUMS"), "abc  kubestead-agent-1-linux-amd64.tar.gz\n");
        Files.write(root.resolve("kubestead-agent-1-linux-amd64.tar.gz"), new byte[100_000]);
        Files.writeString(tmp.resolve("secret"), "outside");
        Files.createSymbolicLink(root.resolve("escape"), tmp.resolve("secret"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void servesInstallShWithItsOwnBaseUrlFromTheHostHeader() throws Exception {
        start(Optional.empty());
        String body = get("/install.sh").body();
        assertTrue(body.contains("\nKUBESTEAD_BASE_URL=\"" + server.localUrl() + "\"\n"), body);
        assertEquals(SCRIPT.length() + server.localUrl().length(), body.length());
        String viaName = raw("GET /install.sh HTTP/1.1\r\nHost: deploy.example:8080\r\nConnection: close\r\n\r\n");
        assertTrue(viaName.contains("KUBESTEAD_BASE_URL=\"http://deploy.example:8080\""), viaName);
    }

    @Test
    void baseUrlOptionWinsOverTheHostHeader() throws Exception {
        start(Optional.of("https://proxy.example/kubestead/"));
        assertTrue(get("/install.sh").body().contains("KUBESTEAD_BASE_URL=\"https://proxy.example/kubestead\"\n"));
    }

    @Test
    void aHostHeaderThatCouldInjectShellIsRefused() throws Exception {
        start(Optional.empty());
        String r = raw("GET /install.sh HTTP/1.1\r\nHost: x\"$(reboot)\r\nConnection: close\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.1 400"), r);
        assertFalse(r.contains("reboot"), r);
    }

    @Test
    void headSendsContentLengthAndNoBody() throws Exception {
        start(Optional.empty());
        HttpResponse<String> r = client().send(HttpRequest.newBuilder(uri("/kubestead-agent-1-linux-amd64.tar.gz"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("100000", r.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("", r.body());
        HttpResponse<byte[]> g = client().send(HttpRequest.newBuilder(uri("/kubestead-agent-1-linux-amd64.tar.gz")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(100_000, g.body().length);
        assertEquals("100000", g.headers().firstValue("Content-Length").orElseThrow());
    }

    @Test
    void traversalAndSymlinksOutOfTheDirectoryAreRefused() throws Exception {
        start(Optional.empty());
        for (String path : new String[] {"/../secret", "/%2e%2e/secret", "/dist/../../secret", "/./install.sh"}) {
            String r = raw("GET " + path + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
            assertTrue(r.startsWith("HTTP/1.1 403"), path + " -> " + r);
            assertFalse(r.contains("outside"), r);
        }
        assertEquals(404, get("/escape").statusCode());
        assertEquals(404, get("/missing.tar.gz").statusCode());
        assertEquals(404, get("/").statusCode());
        HttpResponse<String> post = client().send(HttpRequest.newBuilder(uri("/install.sh"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        // the server logs a request once its answer is sent, so the line can trail the client's last read
        String log = awaitLog("POST /install.sh 405");
        assertTrue(log.contains("GET /missing.tar.gz 404"), log);
        assertTrue(log.contains("POST /install.sh 405"), log);
    }

    @Test
    void servesHttpsWithAPemCertificateAndKey() throws Exception {
        Path cert = tmp.resolve("tls.crt");
        Path key = tmp.resolve("tls.key");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        server = FileServer.start(new ServeConfig(root, "127.0.0.1", 0,
                Optional.of(new ServeConfig.TlsFiles(cert, key)), Optional.empty()), new PrintStream(logBytes, true));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        assertTrue(server.localUrl().startsWith("https://127.0.0.1:"));
        HttpResponse<String> r = HttpClient.newBuilder().sslContext(ctx).build()
                .send(HttpRequest.newBuilder(URI.create(server.localUrl() + "/install.sh")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("KUBESTEAD_BASE_URL=\"" + server.localUrl() + "\""), r.body());
    }

    @Test
    void aBundleKeyIsPinnedIntoTheServedInstallSh() throws Exception {
        java.security.PublicKey key = io.kubestead.agent.bundle.BundleSignature.generate(new java.security.SecureRandom()).getPublic();
        server = FileServer.start(new ServeConfig(root, "127.0.0.1", 0, Optional.empty(), Optional.empty(), Optional.of(key)),
                new PrintStream(logBytes, true));
        String body = get("/install.sh").body();
        String b64 = java.util.Base64.getEncoder().encodeToString(key.getEncoded());
        assertTrue(b64.matches("[A-Za-z0-9+/=]{60}"), b64);
        assertTrue(body.contains("\nKUBESTEAD_BUNDLE_PUBLIC_KEY=\"" + b64 + "\"\n"), body);
        assertTrue(body.contains("\nKUBESTEAD_BASE_URL=\"" + server.localUrl() + "\"\n"), body);
        assertThrows(IllegalStateException.class, () -> InstallScript.pinKey("echo hi\n".getBytes(StandardCharsets.UTF_8), key));
    }

    @Test
    void rewriteNeedsThePlaceholderLineAndASafeUrl() {
        byte[] script = SCRIPT.getBytes(StandardCharsets.UTF_8);
        String once = new String(InstallScript.rewrite(script, "http://a:1"), StandardCharsets.UTF_8);
        String twice = new String(InstallScript.rewrite(once.getBytes(StandardCharsets.UTF_8), "http://b:2/"), StandardCharsets.UTF_8);
        assertEquals(SCRIPT.replace("KUBESTEAD_BASE_URL=\"\"", "KUBESTEAD_BASE_URL=\"http://b:2\""), twice);
        assertThrows(IllegalStateException.class, () -> InstallScript.rewrite("echo hi\n".getBytes(StandardCharsets.UTF_8), "http://a"));
        assertThrows(IllegalArgumentException.class, () -> InstallScript.checkBaseUrl("http://a/$(id)"));
        assertThrows(IllegalArgumentException.class, () -> InstallScript.checkBaseUrl("ftp://a"));
    }

    private void start(Optional<String> baseUrl) throws IOException {
        server = FileServer.start(new ServeConfig(root, "127.0.0.1", 0, Optional.empty(), baseUrl), new PrintStream(logBytes, true));
    }

    private URI uri(String path) {
        return URI.create(server.localUrl() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client().send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient client() {
        return HttpClient.newHttpClient();
    }

    /** A request written byte for byte, so nothing normalizes the path or Host header on the way. */
    private String raw(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private String awaitLog(String line) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        String log = logBytes.toString(StandardCharsets.UTF_8);
        while (!log.contains(line) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            log = logBytes.toString(StandardCharsets.UTF_8);
        }
        return log;
    }
}
