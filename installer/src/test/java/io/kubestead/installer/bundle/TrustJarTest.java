package io.kubestead.installer.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.bundle.BundleSignature;
import io.kubestead.agent.bundle.BundleWriter;
import io.kubestead.agent.bundle.Compression;
import io.kubestead.installer.airgap.AgentTrust;
import io.kubestead.installer.airgap.StagedBundle;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trusted air-gap bundle key built into the agent bundle as lib/kubestead-trust.jar: checked at build time,
 * reproducible, and what the unpacked agent trusts when no --public-key is given.
 */
class TrustJarTest {
    private static final Instant MTIME = Instant.parse("2026-01-01T00:00:00Z");
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path tmp;
    private BundleInputs inputs;

    @BeforeEach
    void fakeBuildOutputs() throws IOException {
        Path lib = Files.createDirectories(tmp.resolve("agent/lib"));
        Files.writeString(lib.resolve("picocli.jar"), "picocli");
        Path jar = Files.writeString(tmp.resolve("agent/kubestead-agent-1.2.3.jar"), "agent");
        Path runtime = Files.createDirectories(tmp.resolve("runtime/bin"));
        Files.writeString(runtime.resolve("java"), "#!java");
        Path launcher = Files.writeString(tmp.resolve("kubestead"), "#!/usr/bin/env bash\n");
        Path script = Files.writeString(tmp.resolve("install.sh"), "#!/usr/bin/env bash\n");
        inputs = new BundleInputs("1.2.3", "amd64", jar, lib, tmp.resolve("runtime"), launcher, script, MTIME);
    }

    private BundleInputs withKey(byte[] pem) {
        return new BundleInputs(inputs.version(), inputs.arch(), inputs.agentJar(), inputs.agentLibDir(),
                inputs.runtimeDir(), inputs.launcher(), inputs.installScript(), MTIME, pem);
    }

    @Test
    void anOpensslKeyIsBuiltInAndTwoBuildsAreByteIdentical() throws Exception {
        Path pub = opensslPublicKey("release");
        byte[] pem = BundleBuildMain.trustedKey(pub.toString(), null).orElseThrow();
        assertTrue(new String(pem, StandardCharsets.US_ASCII).startsWith("-----BEGIN PUBLIC KEY-----"));
        Path first = new AgentBundleBuilder(withKey(pem)).build(tmp.resolve("dist1"));
        Path second = new AgentBundleBuilder(withKey(BundleBuildMain.trustedKey("", pub.toString()).orElseThrow()))
                .build(tmp.resolve("dist2"));
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        assertArrayEquals(pem, TrustJar.trustedKeyOf(first).orElseThrow());
        // GNU tar and the JDK's jar tool read what was written: the jar holds exactly the resource the agent looks for
        Path out = unpack(first);
        Process unzip = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jar").toString(), "tf",
                out.resolve(TrustJar.ENTRY).toString()).start();
        assertEquals(BundleSignature.TRUSTED_KEY_RESOURCE, new String(unzip.getInputStream().readAllBytes()).strip());
        assertEquals(0, unzip.waitFor());

        Path without = new AgentBundleBuilder(inputs).build(tmp.resolve("dist3"));
        assertTrue(TrustJar.trustedKeyOf(without).isEmpty());
        assertFalse(Files.exists(unpack(without).resolve(TrustJar.ENTRY)), "no key given: no trust jar");
    }

    @Test
    void aBadKeyFailsTheBuildWithOneLineNamingIt() throws Exception {
        Path priv = tmp.resolve("release.key");
        assertEquals(0, run(tmp, "openssl", "genpkey", "-algorithm", "ed25519", "-out", priv.toString()));
        Path rsa = tmp.resolve("rsa.pub");
        assertEquals(0, run(tmp, "openssl", "genpkey", "-algorithm", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-out", tmp.resolve("ec.key").toString()));
        assertEquals(0, run(tmp, "openssl", "pkey", "-in", tmp.resolve("ec.key").toString(), "-pubout", "-out", rsa.toString()));
        for (Path bad : List.of(priv, rsa, Files.writeString(tmp.resolve("garbage.pub"), "not a key\n"), tmp.resolve("missing.pub"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BundleBuildMain.trustedKey("", bad.toString()));
            assertTrue(e.getMessage().startsWith(TrustJar.ENV + "=" + bad), e.getMessage());
            assertTrue(e.getMessage().contains("bundle-signing.pub"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> BundleBuildMain.trustedKey(priv.toString(), null));
        assertTrue(e.getMessage().startsWith("kubestead.bundle.publicKey=" + priv + " is not a trusted bundle key"), e.getMessage());
        assertTrue(BundleBuildMain.trustedKey("", "").isEmpty());
        assertTrue(BundleBuildMain.trustedKey(null, null).isEmpty());
    }

    @Test
    void theUnpackedAgentTrustsTheBuiltInKeyWithoutPublicKeyAndRefusesAnother() throws Exception {
        KeyPair release = BundleSignature.generate(RANDOM);
        KeyPair other = BundleSignature.generate(RANDOM);
        Path pub = Files.write(tmp.resolve("bundle-signing.pub"), BundleSignature.publicKeyPem(release.getPublic()));
        Path agent = unpack(new AgentBundleBuilder(withKey(BundleBuildMain.trustedKey(pub.toString(), null).orElseThrow()))
                .build(tmp.resolve("dist")));
        Path good = airgapBundle(release, "good");
        Path bad = airgapBundle(other, "bad");
        String trust = agent.resolve(TrustJar.ENTRY).toString();

        Result ok = kubestead(trust, "bundle", "verify", good.toString());
        assertEquals(0, ok.rc, ok.output);
        assertTrue(ok.output.contains("bundle good.tar.zst: OK (signature verified, Kubernetes 1.33.4/amd64"), ok.output);

        Result refused = kubestead(trust, "bundle", "verify", bad.toString());
        assertTrue(refused.rc != 0, refused.output);
        assertTrue(refused.output.contains("manifest.sig does not verify with the trusted key"), refused.output);

        // the jar is what made the difference: the same agent without it has no key to check with
        Result none = kubestead(null, "bundle", "verify", good.toString());
        assertEquals(2, none.rc, none.output);
        assertTrue(none.output.contains("no trusted bundle key"), none.output);
    }

    @Test
    void airgapBuildWarnsWhenThePackedAgentDoesNotTrustTheSigningKey() throws Exception {
        KeyPair release = BundleSignature.generate(RANDOM);
        byte[] releasePub = BundleSignature.publicKeyPem(release.getPublic());
        byte[] otherPub = BundleSignature.publicKeyPem(BundleSignature.generate(RANDOM).getPublic());
        StagedBundle trusting = staged("trusting", withKey(releasePub));
        StagedBundle plain = staged("plain", inputs);

        assertTrue(AgentTrust.warning(trusting, releasePub).isEmpty());
        String another = AgentTrust.warning(trusting, otherPub).orElseThrow();
        assertTrue(another.startsWith("the agent bundle kubestead-agent-1.2.3-linux-amd64.tar.gz trusts another key than"
                + " --signing-key: hosts will need the word bundle-public-key=FILE"), another);
        String none = AgentTrust.warning(plain, releasePub).orElseThrow();
        assertTrue(none.contains("has no built-in trusted key") && none.contains(TrustJar.ENV + "=FILE"), none);
        assertEquals(1, none.lines().count());
    }

    private StagedBundle staged(String name, BundleInputs in) throws IOException {
        Path dir = tmp.resolve(name);
        new AgentBundleBuilder(in).build(dir.resolve("agent"));
        return new StagedBundle(dir, "1.33.4", "amd64", MTIME, List.of());
    }

    private Path airgapBundle(KeyPair key, String name) throws IOException {
        Path staging = Files.createDirectories(tmp.resolve(name + "-staging/bin"));
        Files.writeString(staging.resolve("kubeadm"), "#!/bin/sh\necho kubeadm\n");
        Path out = tmp.resolve(name + ".tar.zst");
        new BundleWriter(Compression.ZSTD).write(staging.getParent(),
                new BundleWriter.Metadata("1.33.4", "amd64", "2026-01-01T00:00:00Z", List.of()), key.getPrivate(), out);
        return out;
    }

    private record Result(int rc, String output) {
    }

    /** The agent's CLI in a fresh JVM: this test's classpath (agent classes and libraries) plus the trust jar. */
    private Result kubestead(String trustJar, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path")
                        + (trustJar == null ? "" : File.pathSeparator + trustJar), "io.kubestead.agent.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubestead did not finish");
        return new Result(p.exitValue(), output);
    }

    private Path opensslPublicKey(String name) throws Exception {
        Path priv = tmp.resolve(name + ".key");
        Path pub = tmp.resolve(name + ".pub");
        assertEquals(0, run(tmp, "openssl", "genpkey", "-algorithm", "ed25519", "-out", priv.toString()));
        assertEquals(0, run(tmp, "openssl", "pkey", "-in", priv.toString(), "-pubout", "-out", pub.toString()));
        return pub;
    }

    private Path unpack(Path bundle) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("unpacked-" + bundle.getParent().getFileName()));
        assertEquals(0, run(out, "tar", "-xzf", bundle.toString()));
        return out;
    }

    /** The program's output is discarded rather than inherited: this JVM's stdout is Surefire's channel. */
    private static int run(Path dir, String... cmd) throws Exception {
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }
}
