package io.kubestead.installer.airgap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import io.kubestead.installer.cli.InstallerMain;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code installer airgap build} end to end: local HTTP server for binaries, local docker-registry for an image. */
class AirgapBuildCommandTest {
    @TempDir
    Path dir;
    private final StringWriter err = new StringWriter();

    @Test
    void buildsTheStagingDirectoryWithBinariesImagesAndAgentTwiceIdentically() throws Exception {
        byte[] release;
        try (InputStream in = getClass().getResourceAsStream("/airgap/release.tar.gz")) {
            release = in.readAllBytes();
        }
        try (LocalFiles files = new LocalFiles();
             LocalRegistry registry = new LocalRegistry(Files.createDirectories(dir.resolve("registry")))) {
            files.put("/kubeadm", "kubeadm test binary\n".getBytes(StandardCharsets.UTF_8))
                    .put("/kubelet.service", "kubelet.service test unit\n".getBytes(StandardCharsets.UTF_8))
                    .put("/release.tar.gz", release);
            String image = registry.hostPort + "/kubestead-test/pause:3.10";
            TestImages.push(image, Set.of(new Platform("amd64", "linux")), ImageFormat.OCI, dir.resolve("jib"));
            String text;
            try (InputStream in = getClass().getResourceAsStream("/airgap/test-bundle.yaml")) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Path manifest = dir.resolve("bundle.yaml");
            Files.writeString(manifest, text.replace("${BASE}", files.base()).replace("images: []", "images:\n  - " + image));
            Path agent = Files.createDirectories(dir.resolve("agent-dist"));
            // an agent bundle holding only an install.sh with the lines the installer fills in
            Path agentTree = Files.createDirectories(dir.resolve("agent-tree"));
            Files.writeString(agentTree.resolve("install.sh"), "#!/usr/bin/env bash\nKUBESTEAD_BASE_URL=\"\"\n"
                    + "KUBESTEAD_BUNDLE_PUBLIC_KEY=\"\"\necho hi\n");
            Process tar = new ProcessBuilder("tar", "-czf", agent.resolve("kubestead-agent-0.1.0-linux-amd64.tar.gz").toString(),
                    "-C", agentTree.toString(), ".").inheritIO().start();
            assertEquals(0, tar.waitFor());
            Files.writeString(agent.resolve("SHA256SUMS"), "sums");

            var key = io.kubestead.agent.bundle.BundleSignature.generate(new java.security.SecureRandom());
            Path keyFile = dir.resolve("bundle-signing.key");
            Files.write(keyFile, io.kubestead.agent.bundle.BundleSignature.privateKeyPem(key.getPrivate()));
            for (String out : new String[] {"out1", "out2"}) {
                int rc = run("airgap", "build", manifest.toString(), "--out", dir.resolve(out).toString(),
                        "--base-dir", dir.toString(), "--plain-http-registry", registry.hostPort,
                        "--signing-key", keyFile.toString());
                assertEquals(0, rc, err.toString());
            }
            // the fake agent bundle trusts no key: one warning per build, on stderr, saying what hosts will need
            assertEquals(2, err.toString().lines().filter(l -> l.startsWith("[WARN] the agent bundle kubestead-agent-0.1.0-linux-amd64.tar.gz"
                    + " has no built-in trusted key") && l.contains("hosts will need the word bundle-public-key=FILE")).count(), err.toString());
            // beside the bundle: the agent's install.sh with the signing key pinned, and SHA256SUMS signed, as openssl checks
            String script = Files.readString(dir.resolve("out1/install.sh"));
            assertTrue(script.contains("\nKUBESTEAD_BUNDLE_PUBLIC_KEY=\"" + java.util.Base64.getEncoder().encodeToString(
                    key.getPublic().getEncoded()) + "\"\necho hi\n"), script);
            assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("out1/install.sh"))));
            Path pub = Files.write(dir.resolve("bundle-signing.pub"), io.kubestead.agent.bundle.BundleSignature.publicKeyPem(key.getPublic()));
            Process verify = new ProcessBuilder("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin",
                    "-in", "SHA256SUMS", "-sigfile", "SHA256SUMS.sig").directory(dir.resolve("out1").toFile())
                    .redirectErrorStream(true).start();
            String verified = new String(verify.getInputStream().readAllBytes());
            assertEquals(0, verify.waitFor(), verified);
            // packed, signed, and the same bytes twice; the agent's reader accepts it with the public key
            Path b1 = dir.resolve("out1/kubestead-airgap-1.33.4-linux-amd64.tar.zst");
            assertArrayEquals(Files.readAllBytes(b1), Files.readAllBytes(dir.resolve("out2/kubestead-airgap-1.33.4-linux-amd64.tar.zst")));
            // SHA256SUMS beside the bundle, in the format the real sha256sum checks
            Process check = new ProcessBuilder("sha256sum", "-c", "SHA256SUMS").directory(b1.getParent().toFile())
                    .redirectErrorStream(true).start();
            String checked = new String(check.getInputStream().readAllBytes());
            assertEquals(0, check.waitFor(), checked);
            assertEquals("kubestead-airgap-1.33.4-linux-amd64.tar.zst: OK\n", checked);
            var manifestRead = new io.kubestead.agent.bundle.BundleReader(key.getPublic(), false,
                    io.kubestead.agent.bundle.BundleProgress.NONE).verify(b1);
            assertTrue(manifestRead.images().stream().anyMatch(i -> i.path().equals("images/pause.tar")), manifestRead.toString());
            Path s1 = dir.resolve("out1/kubestead-airgap-1.33.4-linux-amd64");
            Path s2 = dir.resolve("out2/kubestead-airgap-1.33.4-linux-amd64");
            var tree = StagingBuilderTest.tree(s1);
            assertTrue(tree.containsKey("images/pause.tar") && tree.containsKey("bin/kubeadm")
                    && tree.containsKey("containerd/bin/ctr") && tree.containsKey("agent/SHA256SUMS"), tree.toString());
            assertEquals(tree, StagingBuilderTest.tree(s2));
            for (String p : tree.keySet()) {
                assertArrayEquals(Files.readAllBytes(s1.resolve(p)), Files.readAllBytes(s2.resolve(p)), p);
            }
            String index = new String(ImageFetchTest.read(s1.resolve("images/pause.tar")).get("index.json"), StandardCharsets.UTF_8);
            assertTrue(index.contains("\"org.opencontainers.image.ref.name\":\"" + image + "\""), index);
        }
    }

    @Test
    void anUnpinnedChecksumIsAOneLineUsageError() throws Exception {
        Path manifest = dir.resolve("bundle.yaml");
        Files.writeString(manifest, """
                kubernetesVersion: "1.33.4"
                arch: amd64
                created: "2026-01-01T00:00:00Z"
                binaries:
                  - {name: kubeadm, url: "https://dl.k8s.io/release/v1.33.4/bin/linux/amd64/kubeadm", sha256: UNPINNED, path: bin/kubeadm}
                """);
        assertEquals(2, run("airgap", "build", manifest.toString(), "--out", dir.resolve("out").toString()));
        assertTrue(err.toString().startsWith("[ERROR] " + manifest + ": binary kubeadm: checksum not pinned"), err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(Files.notExists(dir.resolve("out")));
    }

    private int run(String... args) {
        CommandLine cl = InstallerMain.commandLine();
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }
}
