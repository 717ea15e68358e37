package io.kubestead.agent.airgap;

import io.kubestead.agent.pki.CaHash;
import io.kubestead.agent.pki.CaKind;
import io.kubestead.agent.pki.CaPair;
import io.kubestead.agent.pki.CertIssuer;
import io.kubestead.agent.pki.KeyAlgorithm;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A bundle server in a process of its own for {@link BundleServerSlowClientsTest} (the JDK server reads its limits
 * once per process): args are the bundle dir and the one valid token. It serves on loopback with a new CA and prints
 * "ready PORT CA-HASH", then serves until the test closes stdin or ends this process.
 */
public final class SlowServeMain {
    private SlowServeMain() {
    }

    public static void main(String[] args) throws Exception {
        SecureRandom random = new SecureRandom();
        KeyPair keys = KeyAlgorithm.ECDSA_P256.generate(random);
        CaPair ca = new CaPair(CaKind.CA, new CertIssuer(random).selfSignedCa("kubernetes", keys, Instant.now(),
                Duration.ofDays(1)), keys.getPrivate());
        try (BundleServer server = BundleServer.start(Path.of(args[0]),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                BundleTls.serverContext(ca, List.of("127.0.0.1"), Instant.now(), random), args[1]::equals)) {
            System.out.println("ready " + server.address().getPort() + " " + CaHash.of(ca.cert()));
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }
}
