package io.kubestead.agent.pki;

import static io.kubestead.agent.pki.PkiTesting.generate;
import static io.kubestead.agent.pki.PkiTesting.pki;
import static io.kubestead.agent.pki.PkiTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.version.KubernetesVersion;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl with the generated admin.conf against openssl s_server presenting the apiserver certificate and
 * requiring a client certificate from the CA: both sides verify, and a certificate of another CA fails either way.
 */
class KubectlTlsTest {
    @TempDir
    Path dir;
    Process server;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void bothSidesVerify() throws Exception {
        int port = freePort();
        Path root = dir.resolve("cluster");
        Path other = dir.resolve("other");
        PkiRequest req = PkiRequest.defaults("cp1", "127.0.0.1", KubernetesVersion.parse("1.33.0"))
                .withControlPlaneEndpoint("127.0.0.1:" + port);
        generate(root, req);
        generate(other, req.withKeyAlgorithm(KeyAlgorithm.ECDSA_P256));
        startServer(pki(root), port);

        Path admin = root.resolve("etc/kubernetes/admin.conf");
        ExecResult ok = kubectl(admin);
        assertEquals(0, ok.exitCode(), ok.stderr());
        // s_server -www echoes the client certificate it verified
        assertTrue(ok.stdout().contains("Subject: O=kubeadm:cluster-admins, CN=kubernetes-admin"), ok.stdout());
        assertTrue(ok.stdout().contains("Issuer: CN=kubernetes\n"));

        // kubectl refuses a server whose certificate is not from the kubeconfig's CA
        ExecResult foreignServer = kubectl(withServer(other.resolve("etc/kubernetes/admin.conf"), port, "foreign-ca.conf"));
        assertNotEquals(0, foreignServer.exitCode());
        assertTrue(foreignServer.stderr().contains("certificate signed by unknown authority"), foreignServer.stderr());

        // the server refuses a client certificate from another CA
        Kubeconfig mine = Kubeconfig.parse(Files.readAllBytes(admin));
        Kubeconfig theirs = Kubeconfig.parse(Files.readAllBytes(other.resolve("etc/kubernetes/admin.conf")));
        Path mixed = Files.writeString(dir.resolve("foreign-client.conf"), new Kubeconfig(mine.clusterName(), mine.server(),
                mine.caPem(), mine.userName(), theirs.certPem(), theirs.keyPem(), mine.preferences()).render());
        ExecResult foreignClient = kubectl(mixed);
        assertNotEquals(0, foreignClient.exitCode(), foreignClient.stdout());
        assertTrue(foreignClient.stderr().contains("remote error: tls: unknown certificate authority"), foreignClient.stderr());
    }

    private Path withServer(Path kubeconfig, int port, String name) throws IOException {
        Kubeconfig k = Kubeconfig.parse(Files.readAllBytes(kubeconfig));
        return Files.writeString(dir.resolve(name), new Kubeconfig(k.clusterName(), "https://127.0.0.1:" + port,
                k.caPem(), k.userName(), k.certPem(), k.keyPem(), k.preferences()).render());
    }

    private static ExecResult kubectl(Path kubeconfig) {
        return run("kubectl", "--kubeconfig", kubeconfig.toString(), "--request-timeout=10s", "get", "--raw", "/");
    }

    private void startServer(Path pki, int port) throws Exception {
        server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-Verify", "1",
                // without -verify_return_error, s_server logs a failed client verification and carries on
                "-verify_return_error",
                "-CAfile", pki.resolve("ca.crt").toString(), "-cert", pki.resolve("apiserver.crt").toString(),
                "-key", pki.resolve("apiserver.key").toString(), "-www")
                .redirectErrorStream(true).redirectOutput(dir.resolve("s_server.log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                assertTrue(server.isAlive(), () -> "s_server died: " + read(dir.resolve("s_server.log")));
                Thread.sleep(50);
            }
        }
        throw new AssertionError("s_server did not listen on " + port);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
