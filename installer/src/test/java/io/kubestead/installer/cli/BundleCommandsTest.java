package io.kubestead.installer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.bundle.BundleException;
import io.kubestead.agent.bundle.BundleProgress;
import io.kubestead.agent.bundle.BundleReader;
import io.kubestead.agent.bundle.BundleSignature;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import io.kubestead.installer.bundle.Sha256Sums;
import java.util.List;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BundleCommandsTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = InstallerMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private PublicKey pub(Path dir) throws Exception {
        return BundleSignature.readPublicKey(Files.readAllBytes(dir.resolve("bundle-signing.pub")), "pub");
    }

    @Test
    void signSumsSignsAtomicallyAndARewrittenSha256sumsDropsTheStaleSignature() throws Exception {
        Path keys = tmp.resolve("keys");
        assertEquals(0, run("keygen", "--out", keys.toString()), err.toString());
        Path dist = Files.createDirectories(tmp.resolve("dist"));
        assertEquals(2, run("sign-sums", dist.toString(), "--key", keys.resolve("bundle-signing.key").toString()));
        assertTrue(err.toString().contains("has no SHA256SUMS to sign"), err.toString());
        Path agent = Files.writeString(dist.resolve("kubestead-agent-1.0.0-linux-amd64.tar.gz"), "agent");
        Sha256Sums.write(dist.resolve("SHA256SUMS"), List.of(agent));
        assertEquals(0, run("sign-sums", dist.toString(), "--key", keys.resolve("bundle-signing.key").toString()), err.toString());
        assertEquals(64, Files.size(dist.resolve("SHA256SUMS.sig")));
        assertTrue(Sha256Sums.signedBy(dist.resolve("SHA256SUMS"), pub(keys)));
        try (var s = Files.list(dist)) {
            assertEquals(3, s.count(), "no temporary left");
        }
        // the real openssl agrees, as install.sh runs it
        Process p = new ProcessBuilder("openssl", "pkeyutl", "-verify", "-pubin", "-inkey",
                keys.resolve("bundle-signing.pub").toString(), "-rawin", "-in", "SHA256SUMS", "-sigfile", "SHA256SUMS.sig")
                .directory(dist.toFile()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), said);
        Files.writeString(agent, "another agent");
        Sha256Sums.update(agent);
        assertFalse(Files.exists(dist.resolve("SHA256SUMS.sig")), "a signature of the old SHA256SUMS is not left beside the new");
    }

    @Test
    void keygenPackVerifyAndResign() throws Exception {
        Path keys = tmp.resolve("keys");
        assertEquals(0, run("keygen", "--out", keys.toString()), err.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("bundle-signing.key"))));
        assertFalse(out.toString().contains("PRIVATE KEY"), "the secret is never printed");
        assertEquals(2, run("keygen", "--out", keys.toString()), "an existing key is never replaced");
        assertTrue(err.toString().contains("never replaced"), err.toString());

        Path staging = Files.createDirectories(tmp.resolve("staging/images"));
        Files.writeString(staging.resolve("pause.tar"), "oci");
        Path bundle = tmp.resolve("kubestead-airgap-1.33.4-linux-amd64.tar.gz");
        assertEquals(0, run("bundle", "pack", tmp.resolve("staging").toString(), "--out", bundle.toString(), "--gzip",
                "--key", keys.resolve("bundle-signing.key").toString(), "--kubernetes-version", "1.33.4", "--arch", "amd64",
                "--created", "2026-01-01T00:00:00Z", "--image", "registry.k8s.io/pause:3.10=images/pause.tar"), err.toString());
        assertEquals("registry.k8s.io/pause:3.10",
                new BundleReader(pub(keys), false, BundleProgress.NONE).verify(bundle).images().get(0).ref());
        Files.writeString(tmp.resolve("SHA256SUMS"), "0000  other.tar.zst\n");
        assertEquals(0, run("bundle", "pack", tmp.resolve("staging").toString(), "--out", bundle.toString(), "--gzip",
                "--key", keys.resolve("bundle-signing.key").toString(), "--kubernetes-version", "1.33.4", "--arch", "amd64",
                "--created", "2026-01-01T00:00:00Z", "--image", "registry.k8s.io/pause:3.10=images/pause.tar"), err.toString());
        List<String> sums = Files.readAllLines(tmp.resolve("SHA256SUMS"));
        assertEquals(List.of(Sha256Sums.of(bundle) + "  kubestead-airgap-1.33.4-linux-amd64.tar.gz", "0000  other.tar.zst"), sums,
                "a repack replaces its own line and keeps the others");
        List<String> packed = out.toString().lines().filter(l -> l.contains("packing ")).toList();
        assertEquals("[INFO] packing kubestead-airgap-1.33.4-linux-amd64.tar.gz:   0% 0 B of 3 B", packed.get(0));
        assertEquals("[INFO] packing kubestead-airgap-1.33.4-linux-amd64.tar.gz: 100% 3 B of 3 B", packed.get(packed.size() - 1));

        Path other = tmp.resolve("other");
        assertEquals(0, run("keygen", "--out", other.toString()));
        Path resigned = tmp.resolve("resigned.tar.gz");
        assertEquals(0, run("sign", bundle.toString(), "--key", other.resolve("bundle-signing.key").toString(),
                "--out", resigned.toString()), err.toString());
        new BundleReader(pub(other), false, BundleProgress.NONE).verify(resigned);
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(BundleException.class,
                () -> new BundleReader(pub(keys), false, BundleProgress.NONE).verify(resigned)).getMessage().contains("does not verify"));
        // Signing in place with the original key gives back the original bytes.
        byte[] original = Files.readAllBytes(bundle);
        assertEquals(0, run("sign", resigned.toString(), "--key", keys.resolve("bundle-signing.key").toString()), err.toString());
        assertArrayEquals(original, Files.readAllBytes(resigned));
        assertEquals(java.util.List.of("SHA256SUMS", "SHA256SUMS.sig", "keys", "kubestead-airgap-1.33.4-linux-amd64.tar.gz",
                "other", "resigned.tar.gz", "staging"), Files.list(tmp).map(p -> p.getFileName().toString()).sorted().toList(),
                "no work directories left");
        // the last sign re-signed SHA256SUMS with its key
        assertTrue(Sha256Sums.signedBy(tmp.resolve("SHA256SUMS"), pub(keys)));
        // every sign and pack kept SHA256SUMS current (minus the fake line this test planted)
        Files.write(tmp.resolve("SHA256SUMS"), Files.readAllLines(tmp.resolve("SHA256SUMS")).stream()
                .filter(l -> !l.endsWith("other.tar.zst")).toList());
        Process check = new ProcessBuilder("sha256sum", "-c", "SHA256SUMS").directory(tmp.toFile()).redirectErrorStream(true).start();
        String checked = new String(check.getInputStream().readAllBytes());
        assertEquals(0, check.waitFor(), checked);
        assertEquals("kubestead-airgap-1.33.4-linux-amd64.tar.gz: OK\nresigned.tar.gz: OK\n", checked);
    }

    @Test
    void packWithoutMetadataOrWithABadKeyIsAUsageError() throws Exception {
        Files.createDirectories(tmp.resolve("staging"));
        Path notKey = Files.writeString(tmp.resolve("k"), "nope");
        assertEquals(2, run("bundle", "pack", tmp.resolve("staging").toString(), "--out", tmp.resolve("b.tar.zst").toString(),
                "--key", notKey.toString()));
        assertTrue(err.toString().startsWith("[ERROR] STAGING has no manifest.json"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("bundle", "pack", tmp.resolve("staging").toString(), "--out", tmp.resolve("b.tar.zst").toString(),
                "--key", notKey.toString(), "--kubernetes-version", "1.33.4", "--arch", "amd64", "--created", "2026-01-01T00:00:00Z"));
        assertTrue(err.toString().startsWith("[ERROR] --key " + notKey + ": "), err.toString());
        // a device is refused by its type, never read (it used to be read until the heap ran out)
        err.getBuffer().setLength(0);
        assertEquals(2, run("bundle", "pack", tmp.resolve("staging").toString(), "--out", tmp.resolve("b.tar.zst").toString(),
                "--key", "/dev/zero", "--kubernetes-version", "1.33.4", "--arch", "amd64", "--created", "2026-01-01T00:00:00Z"));
        assertTrue(err.toString().startsWith("[ERROR] --key /dev/zero: the file is a device, FIFO or socket, not a regular file"),
                err.toString());
    }

    @Test
    void thePublicKeyIsDerivedFromTheSigningKeyAsOpensslDerivesIt() throws Exception {
        Path keys = tmp.resolve("keys");
        assertEquals(0, run("keygen", "--out", keys.toString()), err.toString());
        PublicKey derived = KeyFiles.publicKeyOf(KeyFiles.privateKey(keys.resolve("bundle-signing.key")));
        assertArrayEquals(Files.readAllBytes(keys.resolve("bundle-signing.pub")), BundleSignature.publicKeyPem(derived));
        Process p = new ProcessBuilder("openssl", "pkey", "-in", keys.resolve("bundle-signing.key").toString(), "-pubout")
                .redirectErrorStream(true).start();
        byte[] openssl = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), new String(openssl, java.nio.charset.StandardCharsets.UTF_8));
        assertArrayEquals(openssl, BundleSignature.publicKeyPem(derived));
    }
}
