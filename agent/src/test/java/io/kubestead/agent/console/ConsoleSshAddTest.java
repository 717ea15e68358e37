package io.kubestead.agent.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubestead.agent.etcd.PemTls;
import io.kubestead.agent.host.MemoryHost;
import io.kubestead.agent.join.JoinCommands;
import io.kubestead.agent.join.JoinSecrets;
import io.kubestead.agent.nodeadd.JoinMaterial;
import io.kubestead.agent.nodeadd.SshHosts;
import io.kubestead.agent.pki.CaKind;
import io.kubestead.agent.pki.CaPair;
import io.kubestead.agent.pki.CertIssuer;
import io.kubestead.agent.pki.KeyAlgorithm;
import io.kubestead.agent.spec.InstallSpec;
import io.kubestead.agent.spec.InstallSpecParser;
import io.kubestead.agent.spec.Prompter;
import io.kubestead.agent.ssh.KnownHostsFile;
import io.kubestead.agent.ssh.SshTarget;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Add Node over SSH through the console's real HTTPS server, against real OpenSSH servers in network namespaces
 * ({@link SshHosts}); each host runs the real install.sh and this build's agent, joining into a dry-run directory.
 * The join material is made from test secrets, as {@code NodeAddSshTest} makes it (there is no cluster here), and
 * the test counts how often it was asked for: secrets are issued only once the host keys are settled.
 */
class ConsoleSshAddTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final SecureRandom RANDOM = new SecureRandom();
    static final String CONSOLE_PASSWORD = "correct horse battery staple";
    static final String HOST_PASSWORD = "c0nsole-ssh-" + Long.toHexString(RANDOM.nextLong());
    static final String USER = "kcsshpw" + (System.nanoTime() % 1000);

    @TempDir
    static Path dir;
    static SshHosts hosts;
    static SshHosts.SshHost first;
    static SshHosts.SshHost second;
    static SshHosts.SshHost passwordHost;
    static JoinSecrets secrets;
    static JoinMaterial material;

    io.kubestead.agent.join.MutableClock clock = new io.kubestead.agent.join.MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    StringWriter log = new StringWriter();
    AtomicInteger issued = new AtomicInteger();
    Path knownHosts;
    ConsoleServer server;
    RawHttps https;

    @BeforeAll
    static void hosts() throws Exception {
        hosts = new SshHosts(dir);
        first = hosts.start("c1", null, null);
        second = hosts.start("c2", null, null);
        passwordHost = hosts.start("cpw", USER, HOST_PASSWORD);
        for (Path p : List.of(dir, passwordHost.dir())) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        }
        InstallSpec spec = new InstallSpecParser("cp-1", "10.0.0.5", Path.of("/"), Prompter.NONE).parse(List.of("yes"));
        secrets = JoinSecrets.generate(RANDOM, Instant.now(), Duration.ofHours(24));
        JoinCommands commands = new JoinCommands(spec, List.of("10.0.0.5"), secrets, "sha256:" + "ab".repeat(32), null);
        material = JoinMaterial.of(commands, false, Path.of("..", "scripts", "install.sh").toAbsolutePath().normalize(),
                SshHosts.agentBundle(dir.resolve("dist")));
    }

    @AfterAll
    static void stopHosts() {
        if (hosts != null) {
            hosts.close();
        }
    }

    void start(List<Path> identities) throws Exception {
        knownHosts = Files.createTempDirectory(dir, "known").resolve("known_hosts");
        KeyPair keys = KeyAlgorithm.ECDSA_P256.generate(RANDOM);
        X509Certificate cert = new CertIssuer(RANDOM).selfSignedCa("kubernetes", keys, clock.instant(), Duration.ofDays(3650));
        CaPair ca = new CaPair(CaKind.CA, cert, keys.getPrivate());
        MemoryHost host = new MemoryHost("cp-1");
        ConsoleTls.Identity id = ConsoleTls.serving(host, ca, List.of("127.0.0.1"), clock.instant(), RANDOM);
        PasswordHash hash = PasswordHash.create(CONSOLE_PASSWORD.toCharArray(), RANDOM, 2_000);
        ClusterView view = new ClusterView("now", "cp-1", List.of(), List.of(), new ClusterView.Balancer("none", "", List.of()),
                List.of(), List.of(), List.of());
        SshAdds.Settings settings = new SshAdds.Settings(knownHosts, identities, Duration.ofSeconds(5), 4,
                Duration.ofMinutes(5), Duration.ofMinutes(30), t -> List.of("dry-run=" + dryRunDir(t)));
        SshAdds adds = new SshAdds(settings, Optional.empty(), master -> {
            issued.incrementAndGet();
            return material;
        }, null, clock, RANDOM, new PrintWriter(log, true));
        server = ConsoleServer.start(new InetSocketAddress("127.0.0.1", 0), ConsoleTls.context(id, ca.cert(), RANDOM),
                () -> Optional.of(hash), new Sessions(Sessions.DEFAULTS, clock, RANDOM),
                new SignInLimiter(SignInLimiter.DEFAULTS, clock), () -> view, master -> {
                    throw new JoinOffers.Refused("not here");
                }, adds, clock, new PrintWriter(log, true));
        https = new RawHttps(PemTls.trusting(ConsoleServerTest.pem(ca.cert())), server.address());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Path dryRunDir(SshTarget t) {
        return t.user().equals(USER) ? passwordHost.dir().resolve("home/dry-" + t.port()) : dir.resolve("dry-" + t.port());
    }

    static String fingerprint(SshHosts.SshHost h) {
        return KnownHostsFile.fingerprint(Base64.getDecoder().decode(h.publicKey().split(" ")[1]));
    }

    // --- host keys

    @Test
    void anUnknownHostKeyWaitsForTheOperatorToConfirmItsFingerprint() throws Exception {
        start(List.of(hosts.clientKey()));
        Map<String, String> s = signIn();
        String job = add(s, List.of("root@" + first.address() + ":" + first.port()), "worker", null);
        JsonNode waiting = until(s, job, "confirm");
        assertEquals(0, issued.get(), "no join secrets before the host keys are settled");
        JsonNode key = waiting.path("confirm").path(0);
        assertEquals(first.knownHostsName(), key.path("host").asText());
        assertEquals("ssh-ed25519", key.path("type").asText());
        assertEquals(fingerprint(first), key.path("fingerprint").asText());
        assertTrue(lines(waiting).contains("new host key ssh-ed25519 " + fingerprint(first)), lines(waiting));

        // one add at a time
        assertEquals(409, https.post("127.0.0.1", "/api/ssh/add", s, addBody(List.of(second.address() + ":" + second.port()),
                "worker", null)).status());
        // a fingerprint other than the one the host showed accepts nothing
        RawHttps.Response wrong = confirm(s, job, Map.of(first.knownHostsName(), fingerprint(second)));
        assertEquals(409, wrong.status(), wrong.body());
        assertTrue(wrong.body().contains("not the host's key"), wrong.body());
        assertEquals("confirm", poll(s, job, 0).path("state").asText());
        assertFalse(Files.exists(knownHosts), "nothing recorded");

        RawHttps.Response ok = confirm(s, job, Map.of(first.knownHostsName(), fingerprint(first)));
        assertEquals(200, ok.status(), ok.body());
        JsonNode done = until(s, job, "done");
        String text = lines(done);
        assertEquals(1, issued.get());
        JsonNode result = done.path("results").path(0);
        assertEquals("joined", result.path("result").asText(), text);
        assertTrue(done.path("allJoined").asBoolean());
        assertEquals(List.of(first.knownHostsName() + " " + first.publicKey()), Files.readAllLines(knownHosts));
        String label = first.address() + ":" + first.port();
        assertTrue(text.contains("[" + label + "] " + first.knownHostsName() + ": new host key ssh-ed25519 "
                + fingerprint(first) + " accepted and recorded in " + knownHosts), text);
        assertTrue(text.contains("[" + label + "] [INFO] checksum ok for kubestead-agent-0.0.0-test"), text);
        assertTrue(text.contains("joined the cluster as a worker."), text);
        assertTrue(Files.readString(dryRunDir(SshTarget.parse(label, "root")).resolve("etc/kubestead/kubeadm-join.yaml"))
                .contains(secrets.token().value()), "the token reached the host's agent");
        assertFalse(text.contains(secrets.token().value().substring(7)), "no token secret on the page:\n" + text);

        // lines are read on from where the page is
        JsonNode later = poll(s, job, done.path("next").asLong() - 1);
        assertEquals(1, later.path("lines").size());
        assertEquals(done.path("next").asLong() - 1, later.path("from").asLong());

        // known now: the next add asks nothing
        String again = add(s, List.of("root@" + label), "worker", null);
        JsonNode second = until(s, again, "done");
        assertTrue(lines(second).contains(first.knownHostsName() + ": host key ssh-ed25519 " + fingerprint(first) + " known"),
                lines(second));
        assertEquals("joined", second.path("results").path(0).path("result").asText(), lines(second));
    }

    @Test
    void anUnconfirmedKeyIsNotLoggedInTo() throws Exception {
        start(List.of(hosts.clientKey()));
        Map<String, String> s = signIn();
        String job = add(s, List.of(second.address() + ":" + second.port()), "worker", null);
        until(s, job, "confirm");
        assertEquals(200, confirm(s, job, Map.of()).status());
        JsonNode done = until(s, job, "done");
        JsonNode r = done.path("results").path(0);
        assertEquals("host-key-refused", r.path("result").asText());
        assertTrue(r.path("detail").asText().endsWith("not confirmed on the page: nothing done there"), r.toString());
        assertEquals(0, issued.get(), "no secrets issued for nobody");
        assertFalse(Files.exists(knownHosts));
    }

    @Test
    void aChangedHostKeyIsRefusedWithTheCliLine() throws Exception {
        start(List.of(hosts.clientKey()));
        String old = second.knownHostsName() + " " + hosts.otherPublicKey() + "\n";
        Files.writeString(knownHosts, old);
        Map<String, String> s = signIn();
        String job = add(s, List.of("root@" + second.address() + ":" + second.port()), "worker", null);
        JsonNode done = until(s, job, "done");
        String detail = done.path("results").path(0).path("detail").asText();
        assertEquals("host-key-refused", done.path("results").path(0).path("result").asText(), lines(done));
        assertTrue(detail.startsWith(second.knownHostsName() + ": the host key has CHANGED (now ssh-ed25519 "
                + fingerprint(second)), detail);
        assertTrue(detail.contains("ssh-keygen -R"), detail);
        assertEquals(1, detail.lines().count());
        assertEquals(0, done.path("confirm").size(), "a changed key is never offered for confirmation");
        assertEquals(0, issued.get(), "no join secrets for a host that is not logged in to");
        assertEquals(old, Files.readString(knownHosts), "known_hosts unchanged");
        assertFalse(Files.exists(dryRunDir(SshTarget.parse(second.address() + ":" + second.port(), "root"))));
    }

    @Test
    void aKeySwappedAfterItWasConfirmedIsRefusedAndNotRecorded() throws Exception {
        start(List.of(hosts.clientKey()));
        // one address whose first connection (the look at its key) reaches one sshd, and later ones another
        try (Forwarder f = new Forwarder(first, second)) {
            Map<String, String> s = signIn();
            String name = "[127.0.0.1]:" + f.port();
            String job = add(s, List.of("root@127.0.0.1:" + f.port()), "worker", null);
            JsonNode waiting = until(s, job, "confirm");
            assertEquals(fingerprint(first), waiting.path("confirm").path(0).path("fingerprint").asText());
            assertEquals(200, confirm(s, job, Map.of(name, fingerprint(first))).status());
            JsonNode done = until(s, job, "done");
            JsonNode r = done.path("results").path(0);
            assertEquals("host-key-refused", r.path("result").asText(), lines(done));
            assertEquals(name + ": the host now shows ssh-ed25519 " + fingerprint(second) + ", not the key confirmed ("
                    + fingerprint(first) + "): refused; check the host before you add it again", r.path("detail").asText());
            assertFalse(Files.exists(knownHosts), "neither key recorded");
            assertFalse(lines(done).contains("copied install.sh"), lines(done));
        }
    }

    /** A TCP forwarder on loopback: the first connection goes to {@code first}, every later one to {@code then}. */
    static final class Forwarder implements AutoCloseable {
        private final java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final List<java.net.Socket> open = java.util.Collections.synchronizedList(new ArrayList<>());

        Forwarder(SshHosts.SshHost first, SshHosts.SshHost then) throws Exception {
            Thread t = new Thread(() -> {
                int n = 0;
                while (!server.isClosed()) {
                    try {
                        java.net.Socket in = server.accept();
                        SshHosts.SshHost to = n++ == 0 ? first : then;
                        java.net.Socket out = new java.net.Socket(to.address(), to.port());
                        open.add(in);
                        open.add(out);
                        pump(in, out);
                        pump(out, in);
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }, "forwarder");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private static void pump(java.net.Socket from, java.net.Socket to) {
            Thread t = new Thread(() -> {
                try {
                    from.getInputStream().transferTo(to.getOutputStream());
                } catch (java.io.IOException e) {
                    // one side closed
                }
                try {
                    to.shutdownOutput();
                } catch (java.io.IOException e) {
                    // closed already
                }
            }, "forwarder-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws Exception {
            server.close();
            synchronized (open) {
                for (java.net.Socket x : open) {
                    x.close();
                }
            }
        }
    }

    // --- password

    @Test
    void aPasswordTypedOnThePageLogsInAndAnswersSudoAndIsNeverShown() throws Exception {
        start(List.of());
        Map<String, String> s = signIn();
        String target = USER + "@" + passwordHost.address() + ":" + passwordHost.port();
        RawHttps.Response none = https.post("127.0.0.1", "/api/ssh/add", s, addBody(List.of(target), "worker", null));
        assertEquals(400, none.status(), "no key and no password: " + none.body());
        String job = add(s, List.of(target), "worker", HOST_PASSWORD);
        until(s, job, "confirm");
        assertEquals(200, confirm(s, job, Map.of(passwordHost.knownHostsName(), fingerprint(passwordHost))).status());
        JsonNode done = until(s, job, "done");
        String text = lines(done);
        assertEquals("joined", done.path("results").path(0).path("result").asText(), text);
        assertTrue(text.contains("running sudo bash install.sh"), text);
        assertEquals("root", Files.getOwner(dryRunDir(SshTarget.parse(target, "root"))
                .resolve("etc/kubestead/kubeadm-join.yaml")).getName(), "written by root, through sudo");
        assertFalse(text.contains(HOST_PASSWORD), text);
        assertFalse(done.toString().contains(HOST_PASSWORD));
        assertFalse(log.toString().contains(HOST_PASSWORD), log.toString());
    }

    // --- session and CSRF

    @Test
    void anAddNeedsASessionItsCsrfTokenAndThisOrigin() throws Exception {
        start(List.of(hosts.clientKey()));
        String body = addBody(List.of(first.address() + ":" + first.port()), "worker", null);
        assertEquals(401, https.post("127.0.0.1", "/api/ssh/add", Map.of(), body).status());
        Map<String, String> s = signIn();
        Map<String, String> noToken = Map.of("Cookie", s.get("Cookie"));
        assertEquals(403, https.post("127.0.0.1", "/api/ssh/add", noToken, body).status());
        Map<String, String> other = signIn();
        assertEquals(403, https.post("127.0.0.1", "/api/ssh/add", ConsoleServerTest.with(noToken, ConsoleServer.CSRF_HEADER,
                other.get(ConsoleServer.CSRF_HEADER)), body).status(), "another session's token");
        assertEquals(403, https.post("127.0.0.1", "/api/ssh/add", ConsoleServerTest.with(s, "Origin", "https://evil.example"),
                body).status());
        assertEquals(405, https.get("127.0.0.1", "/api/ssh/add", s).status());
        assertEquals(401, https.get("127.0.0.1", "/api/ssh", Map.of()).status());
        assertEquals(413, https.post("127.0.0.1", "/api/ssh/add", s, addBody(List.of(first.address()), "worker",
                "x".repeat(ConsoleServer.MAX_BODY))).status());
        assertEquals(400, https.post("127.0.0.1", "/api/ssh/add", s, addBody(List.of("root@300.1.2.3"), "worker", null))
                .status());
        assertEquals(400, https.post("127.0.0.1", "/api/ssh/add", s, addBody(List.of(first.address()), "boss", null))
                .status());
        assertTrue(log.toString().isEmpty(), "no add started: " + log);

        String job = add(s, List.of(first.address() + ":" + first.port()), "worker", null);
        until(s, job, "confirm");
        String query = "/api/ssh/job?id=" + job;
        assertEquals(401, https.get("127.0.0.1", query, Map.of()).status(), "progress needs a session too");
        String answer = JSON.createObjectNode().put("job", job).set("keys", JSON.createObjectNode()
                .put(first.knownHostsName(), fingerprint(first))).toString();
        assertEquals(401, https.post("127.0.0.1", "/api/ssh/confirm", Map.of(), answer).status());
        assertEquals(403, https.post("127.0.0.1", "/api/ssh/confirm", noToken, answer).status());
        assertEquals("confirm", poll(s, job, 0).path("state").asText(), "still waiting");
        assertEquals(200, confirm(s, job, Map.of()).status());
        until(s, job, "done");
        assertEquals(404, https.get("127.0.0.1", "/api/ssh/job?id=nope", s).status());
        // a finished add is forgotten after half an hour
        clock.advance(Duration.ofMinutes(31));
        Map<String, String> fresh = signIn();
        assertEquals(404, https.get("127.0.0.1", query, fresh).status());
    }

    // --- helpers

    Map<String, String> signIn() throws Exception {
        RawHttps.Response r = https.post("127.0.0.1", "/api/login", Map.of(),
                JSON.createObjectNode().put("password", CONSOLE_PASSWORD).toString());
        Map<String, String> cookie = Map.of("Cookie", ConsoleServerTest.cookie(r));
        String csrf = JSON.readTree(https.get("127.0.0.1", "/api/session", cookie).body()).path("csrf").asText();
        return ConsoleServerTest.with(cookie, ConsoleServer.CSRF_HEADER, csrf);
    }

    static String addBody(List<String> hosts, String role, String password) {
        ObjectNode b = JSON.createObjectNode().put("role", role);
        hosts.forEach(b.putArray("hosts")::add);
        if (password != null) {
            b.put("password", password);
        }
        return b.toString();
    }

    String add(Map<String, String> s, List<String> hosts, String role, String password) throws Exception {
        RawHttps.Response r = https.post("127.0.0.1", "/api/ssh/add", s, addBody(hosts, role, password));
        assertEquals(202, r.status(), r.body());
        return JSON.readTree(r.body()).path("job").asText();
    }

    RawHttps.Response confirm(Map<String, String> s, String job, Map<String, String> keys) throws Exception {
        ObjectNode k = JSON.createObjectNode();
        keys.forEach(k::put);
        return https.post("127.0.0.1", "/api/ssh/confirm", s, JSON.createObjectNode().put("job", job).set("keys", k).toString());
    }

    JsonNode poll(Map<String, String> s, String job, long since) throws Exception {
        RawHttps.Response r = https.get("127.0.0.1", "/api/ssh/job?id=" + URLEncoder.encode(job, StandardCharsets.UTF_8)
                + "&since=" + since, s);
        assertEquals(200, r.status(), r.body());
        return JSON.readTree(r.body());
    }

    /** Polls as the page does until the job is in {@code state} (a bound, not a timing assertion). */
    JsonNode until(Map<String, String> s, String job, String state) throws Exception {
        List<String> seen = new ArrayList<>();
        long since = 0;
        for (int i = 0; i < 1800; i++) {
            JsonNode v = poll(s, job, since);
            v.path("lines").forEach(l -> seen.add(l.asText()));
            since = v.path("next").asLong();
            if (v.path("state").asText().equals(state)) {
                ((ObjectNode) v).set("lines", JSON.valueToTree(seen));
                return v;
            }
            assertFalse(v.path("state").asText().equals("done"), "ended before " + state + ":\n" + String.join("\n", seen));
            Thread.sleep(100);
        }
        throw new AssertionError("not " + state + " after 3 minutes:\n" + String.join("\n", seen));
    }

    static String lines(JsonNode v) {
        List<String> l = new ArrayList<>();
        v.path("lines").forEach(x -> l.add(x.asText()));
        return String.join("\n", l);
    }
}
