package io.kubestead.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {

    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = InstallerMain.commandLine();
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void defaultsArePort8080OnAllAddresses() {
        ServeCommand cmd = new ServeCommand();
        new CommandLine(cmd).parseArgs(tmp.toString());
        assertEquals(8080, cmd.port);
        assertEquals("0.0.0.0", cmd.bind);
        assertEquals(tmp, cmd.dir);
    }

    @Test
    void aMissingDirectoryIsAOneLineUsageError() {
        assertEquals(2, run("serve", tmp.resolve("nope").toString()));
        assertTrue(err.toString().startsWith("[ERROR] DIR " + tmp.resolve("nope") + " is not a directory"), err.toString());
        assertTrue(err.toString().contains("Try 'installer serve --help'."), err.toString());
        assertEquals(2, err.toString().lines().count(), err.toString());
    }

    @Test
    void tlsCertWithoutKeyIsRefused() {
        assertEquals(2, run("serve", tmp.toString(), "--tls-cert", tmp.resolve("c.pem").toString()));
        assertTrue(err.toString().contains("--tls-cert and --tls-key go together"), err.toString());
    }

    @Test
    void aDeviceAsTlsCertIsRefusedNotRead() {
        int rc = run("serve", tmp.toString(), "--bind", "127.0.0.1", "--port", "0", "--tls-cert", "/dev/zero",
                "--tls-key", "/dev/zero");
        assertEquals(2, rc, err.toString());
        assertTrue(err.toString().contains("--tls-cert /dev/zero: the file is a device, FIFO or socket, not a regular file"),
                err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
    }

    @Test
    void anUnsafeBaseUrlIsRefused() {
        assertEquals(2, run("serve", tmp.toString(), "--base-url", "http://x/`id`"));
        assertTrue(err.toString().contains("base URL 'http://x/`id`'"), err.toString());
    }

    @Test
    void aBundleKeyIsRefusedUnlessTheDirectorysSha256sumsIsSignedWithIt() throws Exception {
        var pair = io.kubestead.agent.bundle.BundleSignature.generate(new java.security.SecureRandom());
        Path pub = java.nio.file.Files.write(tmp.resolve("bundle-signing.pub"),
                io.kubestead.agent.bundle.BundleSignature.publicKeyPem(pair.getPublic()));
        Path key = java.nio.file.Files.write(tmp.resolve("bundle-signing.key"),
                io.kubestead.agent.bundle.BundleSignature.privateKeyPem(pair.getPrivate()));
        Path dist = java.nio.file.Files.createDirectories(tmp.resolve("dist"));
        java.nio.file.Files.writeString(dist.resolve("SHA256SUMS"), "00  kubestead-agent-1-linux-amd64.tar.gz\n");
        assertEquals(2, run("serve", dist.toString(), "--bundle-public-key", pub.toString(), "--port", "-1"));
        assertTrue(err.toString().contains("has no SHA256SUMS.sig made with the key of --bundle-public-key " + pub)
                && err.toString().contains("installer sign-sums " + dist + " --key KEY"), err.toString());

        // signed with another key: refused the same way; with this key: accepted (then the bad port stops it)
        var other = io.kubestead.agent.bundle.BundleSignature.generate(new java.security.SecureRandom());
        io.kubestead.installer.bundle.Sha256Sums.sign(dist.resolve("SHA256SUMS"), other.getPrivate());
        err.getBuffer().setLength(0);
        assertEquals(2, run("serve", dist.toString(), "--bundle-public-key", pub.toString(), "--port", "-1"));
        assertTrue(err.toString().contains("has no SHA256SUMS.sig made with the key"), err.toString());
        assertEquals(0, run("sign-sums", dist.toString(), "--key", key.toString()));
        err.getBuffer().setLength(0);
        assertEquals(2, run("serve", dist.toString(), "--bundle-public-key", pub.toString(), "--port", "-1"));
        assertTrue(err.toString().contains("port -1 is out of range"), err.toString());
        assertEquals(2, run("serve", dist.toString(), "--bundle-public-key", key.toString()));
        assertTrue(err.toString().contains("not an Ed25519 public key"), err.toString());
    }

    @Test
    void aPortInUseFailsWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int rc = run("serve", tmp.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(1, rc);
            assertTrue(err.toString().startsWith("[ERROR] "), err.toString());
            assertEquals(1, err.toString().lines().count(), err.toString());
        }
    }
}
