package io.kubestead.agent.airgap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.bundle.SmallDisk;
import io.kubestead.agent.pki.CaKind;
import io.kubestead.agent.progress.Meter;
import io.kubestead.agent.pki.CaPair;
import io.kubestead.agent.pki.CaHash;
import io.kubestead.agent.pki.CertIssuer;
import io.kubestead.agent.pki.KeyAlgorithm;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's own refusals, on loopback: only manifest paths, only GET, only with a valid token. */
class BundleServerTest {
    @TempDir
    Path dir;

    @Test
    void servesOnlyWhatTheManifestLists() throws Exception {
        Path served = FakeBundle.standard().writeTo(dir.resolve("bundle"));
        java.nio.file.Files.writeString(dir.resolve("secret.txt"), "not for you");
        SecureRandom random = new SecureRandom();
        KeyPair keys = KeyAlgorithm.ECDSA_P256.generate(random);
        CaPair ca = new CaPair(CaKind.CA, new CertIssuer(random).selfSignedCa("kubernetes", keys, Instant.now(),
                Duration.ofDays(1)), keys.getPrivate());
        try (BundleServer server = BundleServer.start(served, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                BundleTls.serverContext(ca, List.of("127.0.0.1"), Instant.now(), random), t -> t.equals("abcdef.0123456789abcdef"))) {
            HttpClient client = HttpClient.newBuilder().sslContext(PinnedCaTrust.context(CaHash.of(ca.cert()))).build();
            String base = "https://127.0.0.1:" + server.address().getPort();
            assertEquals(200, get(client, base + "/files/bin/kubelet", "abcdef.0123456789abcdef"));
            assertEquals(200, get(client, base + "/manifest.json", "abcdef.0123456789abcdef"));
            assertEquals(404, get(client, base + "/files/../secret.txt", "abcdef.0123456789abcdef"));
            assertEquals(404, get(client, base + "/files/bin", "abcdef.0123456789abcdef"));
            assertEquals(404, get(client, base + "/files/manifest.json", "abcdef.0123456789abcdef"));
            assertEquals(401, get(client, base + "/files/bin/kubelet", "abcdef.ffffffffffffffff"));
            assertEquals(401, get(client, base + "/files/bin/kubelet", null));
        }
    }

    @Test
    void aJoiningNodeWithoutRoomForTheBundleStopsBeforeDownloadingIt() throws Exception {
        Path served = new FakeBundle().file("images/big.tar", new byte[48 << 20]).writeTo(dir.resolve("bundle"));
        SecureRandom random = new SecureRandom();
        KeyPair keys = KeyAlgorithm.ECDSA_P256.generate(random);
        CaPair ca = new CaPair(CaKind.CA, new CertIssuer(random).selfSignedCa("kubernetes", keys, Instant.now(),
                Duration.ofDays(1)), keys.getPrivate());
        String token = "abcdef.0123456789abcdef";
        try (BundleServer server = BundleServer.start(served, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                BundleTls.serverContext(ca, List.of("127.0.0.1"), Instant.now(), random), token::equals);
             SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 100)) {
            BundleFetch fetch = new BundleFetch(List.of("127.0.0.1"), server.address().getPort(), token,
                    CaHash.of(ca.cert()), Duration.ofSeconds(10));
            Path target = disk.dir().resolve("bundle");
            BundleFetchException e = assertThrows(BundleFetchException.class,
                    () -> fetch.fetch(target, m -> { }, Meter.NONE));
            assertTrue(e.getMessage().contains("not enough space for " + target + ": the bundle needs 112.0 MiB"),
                    e.getMessage());
            try (var left = java.nio.file.Files.list(disk.dir())) {
                assertEquals(List.of(), left.toList(), "nothing left on the small disk");
            }
        }
    }

    /** Each check may run kubectl, and the server has a thread for every connection: at most four run at once. */
    @Test
    void atMostFourTokenChecksRunAtOnce() throws Exception {
        Path served = FakeBundle.standard().writeTo(dir.resolve("bundle"));
        SecureRandom random = new SecureRandom();
        KeyPair keys = KeyAlgorithm.ECDSA_P256.generate(random);
        CaPair ca = new CaPair(CaKind.CA, new CertIssuer(random).selfSignedCa("kubernetes", keys, Instant.now(),
                Duration.ofDays(1)), keys.getPrivate());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        TokenCheck slow = t -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return t.equals("abcdef.0123456789abcdef");
        };
        try (BundleServer server = BundleServer.start(served, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                BundleTls.serverContext(ca, List.of("127.0.0.1"), Instant.now(), random), slow)) {
            HttpClient client = HttpClient.newBuilder().sslContext(PinnedCaTrust.context(CaHash.of(ca.cert()))).build();
            List<CompletableFuture<HttpResponse<Void>>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                        + server.address().getPort() + "/manifest.json")).header("Authorization", "Bearer abcdef.0123456789abcdef")
                        .build(), HttpResponse.BodyHandlers.discarding()));
            }
            for (CompletableFuture<HttpResponse<Void>> a : answers) {
                assertEquals(200, a.get(60, TimeUnit.SECONDS).statusCode());
            }
            assertTrue(most.get() <= BundleServer.CHECKS, "checks at once: " + most.get());
        }
    }

    private static int get(HttpClient client, String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
