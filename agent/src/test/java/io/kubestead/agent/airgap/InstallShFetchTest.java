package io.kubestead.agent.airgap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.pki.CaHash;
import io.kubestead.agent.pki.CaKind;
import io.kubestead.agent.pki.CaPair;
import io.kubestead.agent.pki.CertIssuer;
import io.kubestead.agent.pki.KeyAlgorithm;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install.sh's air-gapped join with nothing beside it: it takes the agent bundle from a master's bundle server
 * (real openssl and curl, loopback), trusting only the CA the ca-hash pins, then hands the words to the agent.
 */
class InstallShFetchTest {
    static final String TOKEN = "abcdef.0123456789abcdef";
    @TempDir
    Path dir;

    @Test
    void fetchesTheAgentWithTheTokenFromTheMasterWhoseCaIsPinned() throws Exception {
        try (var server = server()) {
            var r = installSh(server.port, TOKEN, server.caHash);
            assertEquals(0, r.exit(), r.out());
            String args = Files.readString(dir.resolve("dry/agent-args"));
            assertTrue(args.startsWith("join airgap masters=127.0.0.1 token=" + TOKEN), args);
            assertTrue(r.out().contains("checksum ok for kubestead-agent-9.9.9-linux-amd64.tar.gz"), r.out());
            assertTrue(!r.out().contains("0123456789abcdef"), "the token secret is not printed");
        }
    }

    @Test
    void takesTheTokenFromASecretsFileSoItIsOnNoCommandLine() throws Exception {
        Path secrets = Files.createDirectories(dir.resolve("secret")).resolve("join-secrets");
        Files.writeString(secrets, "token=" + TOKEN + "\n");
        Files.setPosixFilePermissions(secrets, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (var server = server()) {
            var r = installSh(server.port, List.of("secrets-file=" + secrets), server.caHash);
            assertEquals(0, r.exit(), r.out());
            String args = Files.readString(dir.resolve("dry/agent-args"));
            assertTrue(args.startsWith("join airgap masters=127.0.0.1 secrets-file=" + secrets), args);
            assertTrue(!args.contains(TOKEN), "the agent reads the token from the file too: " + args);
            assertTrue(r.out().contains("checksum ok for kubestead-agent-9.9.9-linux-amd64.tar.gz"), r.out());
        }
    }

    @Test
    void aWrongTokenOrAnotherCaGetsNothing() throws Exception {
        try (var server = server()) {
            var wrong = installSh(server.port, "abcdef.ffffffffffffffff", server.caHash);
            assertNotEquals(0, wrong.exit(), wrong.out());
            assertTrue(wrong.out().contains("cannot fetch agent/SHA256SUMS from 127.0.0.1:" + server.port), wrong.out());
            String otherHash = "sha256:" + "0".repeat(64);
            var other = installSh(server.port, TOKEN, otherHash);
            assertNotEquals(0, other.exit(), other.out());
            assertTrue(other.out().contains("no pinned cluster CA from 127.0.0.1:" + server.port), other.out());
            assertTrue(!Files.exists(dir.resolve("dry/agent-args")));
        }
    }

    record Served(BundleServer server, int port, String caHash) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }

    record Result(int exit, String out) {
    }

    private Served server() throws Exception {
        byte[] agent = agentBundle();
        String sums = ExtractedBundle.sha256(agent) + "  kubestead-agent-9.9.9-linux-amd64.tar.gz\n";
        Path served = FakeBundle.standard().file("agent/kubestead-agent-9.9.9-linux-amd64.tar.gz", agent)
                .file("agent/SHA256SUMS", sums).writeTo(dir.resolve("bundle"));
        SecureRandom random = new SecureRandom();
        KeyPair keys = KeyAlgorithm.ECDSA_P256.generate(random);
        CaPair ca = new CaPair(CaKind.CA, new CertIssuer(random).selfSignedCa("kubernetes", keys, Instant.now(),
                Duration.ofDays(1)), keys.getPrivate());
        BundleServer s = BundleServer.start(served, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                BundleTls.serverContext(ca, List.of("127.0.0.1"), Instant.now(), random), TOKEN::equals);
        return new Served(s, s.address().getPort(), CaHash.of(ca.cert()));
    }

    private Result installSh(int port, String token, String caHash) throws Exception {
        return installSh(port, List.of("token=" + token), caHash);
    }

    private Result installSh(int port, List<String> secretWords, String caHash) throws Exception {
        // a copy in an empty directory: nothing beside it, and no source checkout to build an agent from
        Path script = Files.createDirectories(dir.resolve("run")).resolve("install.sh");
        Files.copy(Path.of("..", "scripts", "install.sh").toAbsolutePath().normalize(), script,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), "airgap", "join", "masters=127.0.0.1"));
        cmd.addAll(secretWords);
        cmd.addAll(List.of("ca-hash=" + caHash, "bundle-server-port=" + port, "dry-run=" + dir.resolve("dry")));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(script.getParent().toFile()).redirectErrorStream(true);
        pb.environment().remove("KUBESTEAD_URL");
        pb.environment().remove("KUBESTEAD_BUNDLE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        return new Result(p.exitValue(), out);
    }

    /** An agent bundle whose launcher records its words beside the dry-run directory. */
    private byte[] agentBundle() throws Exception {
        String launcher = "#!/bin/sh\necho \"$*\" > " + dir.resolve("dry/agent-args") + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (var e : Map.of("bin/kubestead", launcher, "runtime/bin/java", "#!/bin/sh\n").entrySet()) {
                byte[] b = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(b.length);
                entry.setMode(0755);
                tar.putArchiveEntry(entry);
                tar.write(b);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }
}
