package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.bundle.BundleManifest;
import io.kubestead.agent.bundle.BundleSignature;
import io.kubestead.agent.bundle.BundleWriter;
import io.kubestead.agent.bundle.Compression;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleCommandTest {
    @TempDir
    Path tmp;

    private final KeyPair key = BundleSignature.generate(new SecureRandom());
    private Path bundle;
    private Path pub;

    @BeforeEach
    void bundle() throws Exception {
        Path staging = Files.createDirectories(tmp.resolve("staging/bin"));
        Files.write(staging.resolve("kubeadm"), new byte[3 << 20]);
        bundle = tmp.resolve("kubestead-airgap-1.33.4-linux-amd64.tar.zst");
        new BundleWriter(Compression.ZSTD).write(tmp.resolve("staging"),
                new BundleWriter.Metadata("1.33.4", "amd64", "2026-01-01T00:00:00Z", List.of()), key.getPrivate(), bundle);
        pub = Files.write(tmp.resolve("k.pub"), BundleSignature.publicKeyPem(key.getPublic()));
    }

    @Test
    void verifyPrintsProgressLinesOffATerminalAndTheResult() {
        CliHarness cli = new CliHarness(tmp);
        assertEquals(0, cli.run("bundle", "verify", bundle.toString(), "--public-key", pub.toString()), cli.err.toString());
        List<String> progress = cli.err.toString().lines().toList();
        assertEquals("verifying   0% 0 B of 3.0 MiB", progress.get(0));
        assertEquals("verifying 100% 3.0 MiB of 3.0 MiB", progress.get(progress.size() - 1));
        assertEquals("bundle kubestead-airgap-1.33.4-linux-amd64.tar.zst: OK (signature verified, Kubernetes 1.33.4/amd64,"
                + " 1 files, 0 images)\n", cli.out.toString(), "stdout holds the result only");
    }

    @Test
    void jsonOutputIsTheResultAloneForScripts() throws Exception {
        CliHarness cli = new CliHarness(tmp);
        assertEquals(0, cli.run("bundle", "verify", bundle.toString(), "--public-key", pub.toString(), "-o", "json"),
                cli.err.toString());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cli.out.toString());
        assertEquals(bundle.toAbsolutePath().toString(), json.get("bundle").asText());
        assertEquals("verified", json.get("signature").asText());
        assertEquals("1.33.4", json.get("kubernetesVersion").asText());
        assertEquals("amd64", json.get("arch").asText());
        assertEquals(1, json.get("files").asInt());
        assertEquals(3 << 20, json.get("bytes").asLong());
        assertEquals(0, json.get("images").size());
        assertTrue(json.path("extractedTo").isMissingNode(), "verify writes nothing");

        CliHarness extract = new CliHarness(tmp);
        Path dir = tmp.resolve("json-out");
        assertEquals(0, extract.run("bundle", "extract", bundle.toString(), dir.toString(), "--public-key", pub.toString(),
                "--output=json"), extract.err.toString());
        assertEquals(dir.toAbsolutePath().toString(),
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(extract.out.toString()).get("extractedTo").asText());

        CliHarness bad = new CliHarness(tmp);
        assertEquals(2, bad.run("bundle", "verify", bundle.toString(), "--public-key", pub.toString(), "-o", "yaml"));
        assertEquals("kubestead: -o yaml is not known; use text or json\n", bad.err.toString());
        assertEquals("", bad.out.toString(), "refused before any work");
    }

    @Test
    void extractWritesTheTreeAndAWrongKeyFailsWithOneLine() throws Exception {
        CliHarness cli = new CliHarness(tmp);
        Path dir = tmp.resolve("out");
        assertEquals(0, cli.run("bundle", "extract", bundle.toString(), dir.toString(), "--public-key", pub.toString()),
                cli.err.toString());
        assertEquals(3 << 20, Files.size(dir.resolve("bin/kubeadm")));
        BundleManifest m = BundleManifest.parse(Files.readAllBytes(dir.resolve("manifest.json")));
        assertEquals("1.33.4", m.kubernetesVersion());

        Path other = Files.write(tmp.resolve("other.pub"),
                BundleSignature.publicKeyPem(BundleSignature.generate(new SecureRandom()).getPublic()));
        CliHarness wrong = new CliHarness(tmp);
        assertEquals(1, wrong.run("bundle", "extract", bundle.toString(), tmp.resolve("out2").toString(),
                "--public-key", other.toString()));
        assertEquals("kubestead: bundle kubestead-airgap-1.33.4-linux-amd64.tar.zst: manifest.sig does not verify with"
                + " the trusted key (wrong key or altered manifest)\n", wrong.err.toString());
        assertTrue(Files.notExists(tmp.resolve("out2")));
    }

    /** The review's reproduction: this used to exit 0 with important.txt gone. */
    @Test
    void extractRefusesADirectoryItDidNotWriteWithExit2AndKeepsIt() throws Exception {
        Path app = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(app.resolve("manifest.json"), "{}\n");
        Files.writeString(app.resolve("important.txt"), "data\n");
        CliHarness cli = new CliHarness(tmp);
        assertEquals(2, cli.run("bundle", "extract", bundle.toString(), app.toString(), "--public-key", pub.toString()));
        assertEquals("kubestead: target " + app + " is not empty and is not a bundle extracted earlier (no"
                + " .kubestead-extracted matching its manifest.json); give a new or empty directory\n", cli.err.toString());
        assertEquals("data\n", Files.readString(app.resolve("important.txt")));
        assertEquals("{}\n", Files.readString(app.resolve("manifest.json")));
        assertTrue(Files.list(tmp).noneMatch(p -> p.getFileName().toString().startsWith(".app.extract-")));

        // its own earlier extraction it replaces
        Path out = tmp.resolve("out");
        assertEquals(0, new CliHarness(tmp).run("bundle", "extract", bundle.toString(), out.toString(), "--public-key",
                pub.toString()));
        CliHarness again = new CliHarness(tmp);
        assertEquals(0, again.run("bundle", "extract", bundle.toString(), out.toString(), "--public-key", pub.toString()),
                again.err.toString());
    }

    @Test
    void withoutAKeyItAsksForOneAndSkippingWarns() {
        CliHarness cli = new CliHarness(tmp);
        assertEquals(2, cli.run("bundle", "verify", bundle.toString()));
        assertTrue(cli.err.toString().startsWith("kubestead: no trusted bundle key"), cli.err.toString());
        CliHarness skip = new CliHarness(tmp);
        assertEquals(0, skip.run("bundle", "verify", bundle.toString(), "--insecure-skip-bundle-signature"));
        assertTrue(skip.err.toString().contains("not checking the bundle's signature"), skip.err.toString());
        assertTrue(skip.out.toString().contains("OK (signature NOT checked"), skip.out.toString());
    }

    /**
     * The signature is checked with the JDK's Ed25519, so a real {@code kubestead bundle verify} process never
     * loads a BouncyCastle class (which would make the JVM verify the signed BouncyCastle jars first).
     */
    @Test
    void verifyInAFreshJvmLoadsNoBouncyCastleClass() throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), "-Xlog:class+load=info", "-XX:-UsePerfData",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "bundle", "verify", bundle.toString(), "--public-key", pub.toString())
                .redirectErrorStream(true).start();
        List<String> out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.waitFor(), String.join("\n", out));
        assertTrue(out.stream().anyMatch(l -> l.contains("OK (signature verified")), String.join("\n", out));
        assertTrue(out.stream().anyMatch(l -> l.contains("sun.security.ec.ed.EdDSASignature ")), "the JDK's Ed25519 did the check");
        assertEquals(List.of(), out.stream().filter(l -> l.contains("org.bouncycastle.")).toList());
    }
}
