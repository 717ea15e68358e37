package io.kubestead.agent.airgap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubestead.agent.pki.CaKind;
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
import java.util.List;
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

    private static int get(HttpClient client, String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
