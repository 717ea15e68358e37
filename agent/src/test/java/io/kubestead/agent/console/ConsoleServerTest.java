package io.kubestead.agent.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubestead.agent.etcd.PemTls;
import io.kubestead.agent.host.MemoryHost;
import io.kubestead.agent.pki.CaKind;
import io.kubestead.agent.pki.CaPair;
import io.kubestead.agent.pki.CertIssuer;
import io.kubestead.agent.pki.CertUsage;
import io.kubestead.agent.pki.KeyAlgorithm;
import io.kubestead.agent.pki.Pem;
import io.kubestead.agent.pki.SubjectAltNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's server for real: HTTPS on loopback with a certificate from a test cluster CA, requests from distinct
 * loopback addresses as distinct clients, and a clock the test moves (session ends and the sign-in rate follow it,
 * never the wall clock). The cluster data and the join commands come from stand-ins that record what they were asked.
 */
class ConsoleServerTest {
    static final String PASSWORD = "correct horse battery staple";
    static final ObjectMapper JSON = new ObjectMapper();
    static final SecureRandom RANDOM = new SecureRandom();

    io.kubestead.agent.join.MutableClock clock = new io.kubestead.agent.join.MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    CaPair ca;
    MemoryHost host = new MemoryHost("cp-1");
    List<Boolean> joinsAsked = Collections.synchronizedList(new ArrayList<>());
    StringWriter log = new StringWriter();
    java.util.concurrent.atomic.AtomicReference<PasswordHash> password = new java.util.concurrent.atomic.AtomicReference<>();
    ConsoleServer server;
    RawHttps https;

    @BeforeEach
    void start() throws Exception {
        ca = ca("kubernetes");
        start(SignInLimiter.DEFAULTS);
    }

    void start(SignInLimiter.Settings limits) throws Exception {
        if (server != null) {
            server.close();
        }
        ConsoleTls.Identity id = ConsoleTls.serving(host, ca, List.of("api.kubernetes.kubestead.internal", "10.0.0.5",
                "127.0.0.1"), clock.instant(), RANDOM);
        // a low iteration count keeps the many sign-ins here quick; the stored line carries its count
        password.set(PasswordHash.create(PASSWORD.toCharArray(), RANDOM, 2_000));
        ClusterView view = new ClusterView("Mar 01, 2026 10:00 UTC", "cp-1",
                List.of(new ClusterView.Node("cp-1", "master", "Ready", "v1.34.4", "3d", "10.0.0.5")), List.of(),
                new ClusterView.Balancer("none", "", List.of()), List.of(), List.of(), List.of());
        JoinOffers joins = master -> {
            joinsAsked.add(master);
            if (master) {
                throw new JoinOffers.Refused("this cluster was installed without 'ha'");
            }
            return new JoinOffers.JoinOffer("worker", "curl ... | sudo bash -s join token=abcdef.0123456789abcdef",
                    clock.instant().plus(Duration.ofHours(24)));
        };
        server = ConsoleServer.start(new InetSocketAddress("127.0.0.1", 0), ConsoleTls.context(id, ca.cert(), RANDOM),
                () -> java.util.Optional.of(password.get()), new Sessions(Sessions.DEFAULTS, clock, RANDOM),
                new SignInLimiter(limits, clock), () -> view, joins, clock, new PrintWriter(log, true));
        https = new RawHttps(PemTls.trusting(pem(ca.cert())), server.address());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // --- TLS

    @Test
    void theCertificateIsFromTheClusterCaForTheApiNameAndTheMastersAndItsKeyIs0600() throws Exception {
        // RawHttps checks the name 127.0.0.1 against the certificate, trusting only the cluster CA
        assertEquals(200, https.get("127.0.0.1", "/login", Map.of()).status());
        X509Certificate leaf = Pem.certificates(host.readFile(ConsolePaths.TLS_CERT).orElseThrow()).get(0);
        leaf.verify(ca.cert().getPublicKey());
        assertTrue(ConsoleTls.sans(leaf).containsAll(List.of("api.kubernetes.kubestead.internal", "10.0.0.5", "127.0.0.1")));
        assertEquals(0600, host.mode(ConsolePaths.TLS_KEY).orElseThrow());
        assertEquals(0700, host.mode(ConsolePaths.DIR).orElse(0700));

        // kept across restarts while it fits; issued again when a master's address is new to it
        ConsoleTls.Identity again = ConsoleTls.serving(host, ca, List.of("10.0.0.5"), clock.instant(), RANDOM);
        assertEquals(leaf, again.chain().get(0));
        ConsoleTls.Identity wider = ConsoleTls.serving(host, ca, List.of("10.0.0.5", "10.0.0.6"), clock.instant(), RANDOM);
        assertNotEquals(leaf, wider.chain().get(0));
        assertTrue(ConsoleTls.sans(wider.chain().get(0)).contains("10.0.0.6"));
    }

    // --- sessions

    @Test
    void everyPageAndCallNeedsASession() throws Exception {
        RawHttps.Response root = https.get("127.0.0.1", "/", Map.of());
        assertEquals(303, root.status());
        assertEquals("/login", root.header("Location"));
        for (String path : List.of("/api/cluster", "/api/session")) {
            assertEquals(401, https.get("127.0.0.1", path, Map.of()).status(), path);
        }
        assertEquals(401, https.post("127.0.0.1", "/api/join", Map.of(), "{\"role\":\"worker\"}").status());
        assertEquals(401, https.get("127.0.0.1", "/api/cluster", Map.of("Cookie", ConsoleServer.COOKIE + "=made-up")).status());
        assertEquals(List.of(), joinsAsked);
        // open: the sign-in page and its style and script, nothing else
        assertEquals(200, https.get("127.0.0.1", "/login", Map.of()).status());
        assertEquals(200, https.get("127.0.0.1", "/assets/console.css", Map.of()).status());
        assertEquals(200, https.get("127.0.0.1", "/assets/login.js", Map.of()).status());
        assertEquals(404, https.get("127.0.0.1", "/assets/cluster.html", Map.of()).status());
        assertEquals(404, https.get("127.0.0.1", "/assets/../cluster.html", Map.of()).status());
    }

    @Test
    void aSignInSetsAStrictSessionCookieThatOpensThePagesAndTheCalls() throws Exception {
        RawHttps.Response r = signIn("127.0.0.1", PASSWORD);
        assertEquals(200, r.status(), r.body());
        String setCookie = r.header("Set-Cookie");
        assertTrue(setCookie.startsWith(ConsoleServer.COOKIE + "="), setCookie);
        for (String attribute : List.of("; Path=/", "; Secure", "; HttpOnly", "; SameSite=Strict")) {
            assertTrue(setCookie.contains(attribute), setCookie);
        }
        Map<String, String> cookie = Map.of("Cookie", cookie(r));
        RawHttps.Response page = https.get("127.0.0.1", "/", cookie);
        assertEquals(200, page.status());
        assertTrue(page.body().contains("Add Node"));
        assertEquals("no-store", page.header("Cache-Control"));
        assertTrue(page.header("Content-Security-Policy").contains("default-src 'none'"));
        JsonNode cluster = JSON.readTree(https.get("127.0.0.1", "/api/cluster", cookie).body());
        assertEquals("cp-1", cluster.path("nodes").path(0).path("name").asText());
        assertEquals("v1.34.4", cluster.path("nodes").path(0).path("version").asText());
        assertEquals(303, https.get("127.0.0.1", "/login", cookie).status(), "a signed-in browser skips the sign-in page");
    }

    @Test
    void aWrongPasswordOpensNothing() throws Exception {
        RawHttps.Response r = signIn("127.0.0.1", PASSWORD + "!");
        assertEquals(401, r.status());
        assertNull(r.header("Set-Cookie"));
        assertEquals(401, signIn("127.0.0.1", "").status());
    }

    @Test
    void sessionsEndAfterHalfAnHourIdleAndEightHoursInAll() throws Exception {
        Map<String, String> idle = Map.of("Cookie", cookie(signIn("127.0.0.1", PASSWORD)));
        clock.advance(Duration.ofMinutes(29));
        assertEquals(200, https.get("127.0.0.1", "/api/cluster", idle).status());
        clock.advance(Duration.ofMinutes(31));
        assertEquals(401, https.get("127.0.0.1", "/api/cluster", idle).status(), "idle for 31 minutes");

        Map<String, String> busy = Map.of("Cookie", cookie(signIn("127.0.0.1", PASSWORD)));
        for (int i = 0; i < 23; i++) { // every 20 minutes for 7 h 40 min
            clock.advance(Duration.ofMinutes(20));
            assertEquals(200, https.get("127.0.0.1", "/api/cluster", busy).status(), "after " + (i + 1) * 20 + " min");
        }
        clock.advance(Duration.ofMinutes(20));
        assertEquals(401, https.get("127.0.0.1", "/api/cluster", busy).status(), "8 h after signing in");
        assertEquals(303, https.get("127.0.0.1", "/", busy).status());
    }

    @Test
    void signingOutEndsTheSession() throws Exception {
        Map<String, String> cookie = Map.of("Cookie", cookie(signIn("127.0.0.1", PASSWORD)));
        String csrf = csrf(cookie);
        assertEquals(403, https.post("127.0.0.1", "/api/logout", cookie, "{}").status(), "no CSRF token");
        RawHttps.Response out = https.post("127.0.0.1", "/api/logout", with(cookie, ConsoleServer.CSRF_HEADER, csrf), "{}");
        assertEquals(200, out.status());
        assertTrue(out.header("Set-Cookie").contains("Max-Age=0"));
        assertEquals(401, https.get("127.0.0.1", "/api/cluster", cookie).status());
    }

    @Test
    void aNewPasswordEndsTheSessionsSignedInWithTheOldOne() throws Exception {
        Map<String, String> old = Map.of("Cookie", cookie(signIn("127.0.0.1", PASSWORD)));
        RawHttps admin = new RawHttps(client(ca, "kubernetes-admin", "kubeadm:cluster-admins"), server.address());
        Map<String, String> certificate = Map.of("Cookie", cookie(admin.post("127.0.0.1", "/api/login", Map.of(), "{}")));
        password.set(PasswordHash.create("a brand new password".toCharArray(), RANDOM, 2_000));
        assertEquals(401, https.get("127.0.0.1", "/api/cluster", old).status());
        assertEquals(200, https.get("127.0.0.1", "/api/cluster", certificate).status(), "a certificate session stays");
        assertEquals(401, signIn("127.0.0.1", PASSWORD).status());
        assertEquals(200, https.get("127.0.0.1", "/api/cluster",
                Map.of("Cookie", cookie(signIn("127.0.0.1", "a brand new password")))).status());
    }

    // --- CSRF and request limits

    @Test
    void aChangeNeedsTheSessionsCsrfTokenJsonAndThisOrigin() throws Exception {
        Map<String, String> cookie = Map.of("Cookie", cookie(signIn("127.0.0.1", PASSWORD)));
        String csrf = csrf(cookie);
        String worker = "{\"role\":\"worker\"}";
        assertEquals(403, https.post("127.0.0.1", "/api/join", cookie, worker).status(), "no token");
        assertEquals(403, https.post("127.0.0.1", "/api/join", with(cookie, ConsoleServer.CSRF_HEADER, csrf + "x"), worker)
                .status(), "wrong token");
        String other = csrf(Map.of("Cookie", cookie(signIn("127.0.0.1", PASSWORD))));
        assertEquals(403, https.post("127.0.0.1", "/api/join", with(cookie, ConsoleServer.CSRF_HEADER, other), worker)
                .status(), "another session's token");
        Map<String, String> good = with(cookie, ConsoleServer.CSRF_HEADER, csrf);
        assertEquals(403, https.post("127.0.0.1", "/api/join", with(good, "Origin", "https://evil.example"), worker).status());
        assertEquals(403, https.post("127.0.0.1", "/api/join", with(good, "Sec-Fetch-Site", "cross-site"), worker).status());
        assertEquals(415, https.send("127.0.0.1", "POST", "/api/join", with(good, "Content-Type", "text/plain"), worker).status());
        assertEquals(405, https.get("127.0.0.1", "/api/join", good).status());
        assertEquals(List.of(), joinsAsked, "no refused request reached the join commands");

        RawHttps.Response offer = https.post("127.0.0.1", "/api/join", with(good, "Origin",
                "https://127.0.0.1:" + server.address().getPort()), worker);
        assertEquals(200, offer.status(), offer.body());
        JsonNode o = JSON.readTree(offer.body());
        assertTrue(o.path("command").asText().contains("token=abcdef.0123456789abcdef"));
        assertEquals("2026-03-02T10:00:00Z", o.path("expires").asText());
        RawHttps.Response master = https.post("127.0.0.1", "/api/join", good, "{\"role\":\"master\"}");
        assertEquals(409, master.status());
        assertTrue(master.body().contains("without 'ha'"), master.body());
        assertEquals(400, https.post("127.0.0.1", "/api/join", good, "{\"role\":\"boss\"}").status());
        assertEquals(List.of(false, true), joinsAsked);
    }

    @Test
    void requestBodiesOverFourKibibytesAreRefusedUnread() throws Exception {
        String big = "{\"password\":\"" + "x".repeat(ConsoleServer.MAX_BODY) + "\"}";
        assertEquals(413, https.post("127.0.0.1", "/api/login", Map.of(), big).status());
        // a chunked body is cut at the limit too
        String body = "{\"password\":\"" + "x".repeat(5000) + "\"}";
        String encoded = Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
        RawHttps.Response r = https.send("127.0.0.1", "POST", "/api/login", Map.of("Content-Type", "application/json",
                "Transfer-Encoding", "chunked"), null, encoded);
        assertEquals(413, r.status());
        assertEquals(400, https.post("127.0.0.1", "/api/login", Map.of(), "[1,2]").status());
    }

    @Test
    void aBodyThatStopsComingIsCutAndHoldsNothingElseUp() throws Exception {
        javax.net.ssl.SSLSocket stalled = (javax.net.ssl.SSLSocket) PemTls.trusting(pem(ca.cert())).getSocketFactory()
                .createSocket("127.0.0.1", server.address().getPort());
        try (stalled) {
            stalled.setSoTimeout((io.kubestead.agent.http.LimitedServer.STALL_SECONDS + 60) * 1000);
            stalled.getOutputStream().write(("POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"password\":").getBytes(StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();
            assertEquals(200, signIn("127.0.0.2", PASSWORD).status(), "others are answered meanwhile");
            // the server gives up on the rest of the body: the connection ends (it never would, before the read watch)
            int first;
            try {
                first = stalled.getInputStream().read();
            } catch (javax.net.ssl.SSLException | java.net.SocketException closed) {
                first = -1;
            }
            assertEquals(-1, first, "the stalled request got no answer but the end of its connection");
        }
    }

    // --- the sign-in rate

    @Test
    void badSignInsFromOneClientAreRefusedAfterFiveUntilTheRateAllowsMore() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(401, signIn("127.0.0.2", "guess-" + i).status());
        }
        RawHttps.Response refused = signIn("127.0.0.2", PASSWORD);
        assertEquals(429, refused.status(), "even the right password waits: nothing is hashed");
        assertEquals("20", refused.header("Retry-After"));
        assertNull(refused.header("Set-Cookie"));
        assertEquals(200, signIn("127.0.0.3", PASSWORD).status(), "another client is not held up");
        clock.advance(Duration.ofSeconds(19));
        assertEquals(429, signIn("127.0.0.2", PASSWORD).status());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(401, signIn("127.0.0.2", "guess-6").status(), "one more attempt after 20 s");
        assertEquals(429, signIn("127.0.0.2", PASSWORD).status());
        clock.advance(Duration.ofSeconds(20));
        assertEquals(200, signIn("127.0.0.2", PASSWORD).status());
        assertEquals(401, signIn("127.0.0.2", "guess-7").status(), "a sign-in gives the client its attempts back");
    }

    @Test
    void badSignInsFromManyClientsMeetTheGlobalBound() throws Exception {
        start(new SignInLimiter.Settings(5, Duration.ofSeconds(20), 8, Duration.ofSeconds(2), 10_000));
        for (int client = 2; client < 6; client++) {
            for (int i = 0; i < 2; i++) {
                assertEquals(401, signIn("127.0.0." + client, "guess").status());
            }
        }
        RawHttps.Response refused = signIn("127.0.0.9", PASSWORD);
        assertEquals(429, refused.status(), "8 attempts from 4 clients use up the global bucket");
        assertEquals("2", refused.header("Retry-After"));
        clock.advance(Duration.ofSeconds(2));
        assertEquals(200, signIn("127.0.0.9", PASSWORD).status());
    }

    // --- the admin client certificate

    @Test
    void adminConfsClientCertificateSignsInWithoutAPassword() throws Exception {
        RawHttps admin = new RawHttps(client(ca, "kubernetes-admin", "kubeadm:cluster-admins"), server.address());
        assertEquals("kubernetes-admin", JSON.readTree(admin.get("127.0.0.1", "/api/login/options", Map.of()).body())
                .path("certificate").asText());
        RawHttps.Response r = admin.post("127.0.0.1", "/api/login", Map.of(), "{}");
        assertEquals(200, r.status(), r.body());
        assertTrue(JSON.readTree(https.get("127.0.0.1", "/api/session", Map.of("Cookie", cookie(r))).body())
                .path("identity").asText().startsWith("kubernetes-admin"));

        // the same CA's kubelet certificate is no admin; nor is an admin certificate from another CA
        RawHttps kubelet = new RawHttps(client(ca, "system:node:cp-1", "system:nodes"), server.address());
        assertTrue(JSON.readTree(kubelet.get("127.0.0.1", "/api/login/options", Map.of()).body()).path("certificate").isNull());
        assertEquals(401, kubelet.post("127.0.0.1", "/api/login", Map.of(), "{}").status());
        CaPair other = ca("other");
        RawHttps stranger = new RawHttps(client(other, "kubernetes-admin", "kubeadm:cluster-admins"), server.address());
        try {
            assertEquals(401, stranger.post("127.0.0.1", "/api/login", Map.of(), "{}").status());
        } catch (IOException refusedInTheHandshake) {
            // as good: no session either way
        }
        assertNotNull(admin);
    }

    // --- helpers

    RawHttps.Response signIn(String from, String password) throws IOException {
        return https.post(from, "/api/login", Map.of(), JSON.createObjectNode().put("password", password).toString());
    }

    static String cookie(RawHttps.Response signedIn) {
        String c = signedIn.header("Set-Cookie");
        assertNotNull(c, "no session cookie: " + signedIn.status() + " " + signedIn.body());
        return c.substring(0, c.indexOf(';'));
    }

    String csrf(Map<String, String> cookie) throws IOException {
        String token = JSON.readTree(https.get("127.0.0.1", "/api/session", cookie).body()).path("csrf").asText();
        assertFalse(token.isEmpty());
        return token;
    }

    static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> m = new java.util.LinkedHashMap<>(headers);
        m.put(name, value);
        return m;
    }

    CaPair ca(String name) {
        KeyPair keys = KeyAlgorithm.ECDSA_P256.generate(RANDOM);
        X509Certificate cert = new CertIssuer(RANDOM).selfSignedCa(name, keys, clock.instant(), Duration.ofDays(3650));
        return new CaPair(CaKind.CA, cert, keys.getPrivate());
    }

    SSLContext client(CaPair issuer, String user, String group) {
        KeyPair keys = KeyAlgorithm.ECDSA_P256.generate(RANDOM);
        X509Certificate cert = new CertIssuer(RANDOM).leaf(CertIssuer.name(user, List.of(group)), CertUsage.CLIENT,
                SubjectAltNames.NONE, keys.getPublic(), issuer, clock.instant(), Duration.ofDays(365));
        return PemTls.mutual(pem(ca.cert()), pem(cert), new String(Pem.privateKey(keys), StandardCharsets.US_ASCII));
    }

    static String pem(X509Certificate c) {
        return new String(Pem.certificate(c), StandardCharsets.US_ASCII);
    }
}
