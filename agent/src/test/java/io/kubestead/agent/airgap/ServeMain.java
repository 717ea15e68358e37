package io.kubestead.agent.airgap;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.pki.CaKind;
import io.kubestead.agent.pki.CaPair;
import io.kubestead.agent.pki.Pem;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * A bundle server for {@link BundleFetchNetnsTest}, run in its own network namespace: args are the bundle dir, the
 * bind address, the valid token, and two CA directories (ca.crt, ca.key): the cluster's and a stranger's. It serves
 * with the cluster CA on one port and with the stranger's on another, and prints "ready PORT1 PORT2". Tokens are
 * checked by {@link KubectlTokenCheck} against a stand-in kubectl that knows the one valid token's Secret.
 */
public final class ServeMain {
    private ServeMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String address = args[1];
        String token = args[2];
        String id = token.substring(0, 6);
        String secret = token.substring(7);
        Base64.Encoder b64 = Base64.getEncoder();
        String answer = b64.encodeToString(secret.getBytes(StandardCharsets.UTF_8)) + "\n"
                + b64.encodeToString(Instant.now().plusSeconds(3600).toString().getBytes(StandardCharsets.UTF_8)) + "\n"
                + b64.encodeToString("true".getBytes(StandardCharsets.UTF_8)) + "\n";
        RootedHost kubectl = new RootedHost("master", dir, c -> c.argv().contains("bootstrap-token-" + id)
                ? new ExecResult(c, 0, answer, "")
                : new ExecResult(c, 1, "", "Error from server (NotFound): secrets not found"), new ActionLog());
        TokenCheck check = new KubectlTokenCheck(kubectl, Clock.systemUTC());
        SecureRandom random = new SecureRandom();
        InetAddress bind = InetAddress.getByName(address);
        try (BundleServer good = BundleServer.start(dir, new InetSocketAddress(bind, 0),
                BundleTls.serverContext(ca(Path.of(args[3])), List.of(address), Instant.now(), random), check);
             BundleServer stranger = BundleServer.start(dir, new InetSocketAddress(bind, 0),
                BundleTls.serverContext(ca(Path.of(args[4])), List.of(address), Instant.now(), random), check)) {
            System.out.println("ready " + good.address().getPort() + " " + stranger.address().getPort());
            System.out.flush();
            // serve until the test closes stdin or kills this process
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    static CaPair ca(Path dir) throws Exception {
        return new CaPair(CaKind.CA, Pem.certificate(Files.readAllBytes(dir.resolve("ca.crt"))),
                Pem.privateKey(Files.readAllBytes(dir.resolve("ca.key"))));
    }
}
