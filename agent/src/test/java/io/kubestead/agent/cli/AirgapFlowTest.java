package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.airgap.FakeBundle;
import io.kubestead.agent.bundle.HostileBundles;
import io.kubestead.agent.kubeadm.standin.KubeadmStandIn;
import io.kubestead.agent.kubeadm.standin.StandInCluster;
import io.kubestead.agent.spec.SupportedVersions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Air-gapped install and join against stand-in nodes whose extracted bundle the test prepares. */
class AirgapFlowTest {
    static final String PAUSE = "registry.k8s.io/pause:3.10";
    @TempDir
    Path tmp;

    static void extractedBundle(StandInNode node) throws Exception {
        String version = new SupportedVersions().defaultVersion().toString();
        FakeBundle.standard().image(PAUSE, "images/pause.tar", "oci layout".getBytes(StandardCharsets.UTF_8))
                .writeTo(node.root.resolve("var/lib/kubestead/bundle"));
        // FakeBundle writes 1.33.4; make the manifest agree with the version the cluster installs
        Path manifest = node.root.resolve("var/lib/kubestead/bundle/manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"1.33.4\"", "\"" + version + "\""));
    }

    @Test
    void anAirgappedMasterInstallsFromItsBundleServesItAndPrintsAirgapJoinCommands() throws Exception {
        StandInCluster cluster = new StandInCluster();
        StandInNode m1 = new StandInNode(tmp.resolve("m1"));
        extractedBundle(m1);
        KubeadmStandIn kubeadm = InstallFlowTest.kubeadm(m1, cluster);
        CliHarness h = new CliHarness(tmp, m1.root, kubeadm);
        assertEquals(0, h.run("install", "airgap", "yes"), h.err + "\n" + kubeadm.rejections());

        for (String p : List.of("usr/bin/kubelet", "usr/bin/kubeadm", "usr/local/bin/containerd", "opt/cni/bin/bridge")) {
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(m1.root.resolve(p))), p);
        }
        assertTrue(Files.exists(m1.root.resolve("etc/systemd/system/kubelet.service.d/10-kubeadm.conf")));
        List<String> shown = m1.displayed();
        assertFalse(shown.stream().anyMatch(c -> c.startsWith("apt-get") || c.startsWith("dnf")), "no package manager: " + shown);
        int imported = indexOf(shown, "ctr -n k8s.io images import /var/lib/kubestead/bundle/images/pause.tar");
        int containerd = indexOf(shown, "systemctl restart containerd");
        assertTrue(containerd < imported, "containerd runs before the import: " + shown);
        assertTrue(kubeadm.calls().stream().anyMatch(c -> c.command().equals("init")));
        String unit = Files.readString(m1.root.resolve("etc/systemd/system/kubestead-bundle-server.service"));
        assertTrue(unit.contains("ExecStart=/opt/kubestead/bin/kubestead bundle-serve address="), unit);
        assertTrue(shown.contains("systemctl enable kubestead-bundle-server"), shown.toString());

        CliHarness script = new CliHarness(tmp, m1.root, kubeadm);
        assertEquals(0, script.run("join-script", "worker"), script.err.toString());
        String command = script.out.toString().lines().filter(l -> l.contains(" join ")).findFirst().orElseThrow();
        assertTrue(command.startsWith("cat install.sh | sudo bash -s airgap join "), command);
        assertTrue(command.contains(" masters=") && command.contains(" bundle-server-port=6446"), command);

        // a worker whose bundle is already there (a rerun, or copied by hand) fetches nothing and installs from it
        StandInNode w1 = new StandInNode(tmp.resolve("w1"));
        extractedBundle(w1);
        KubeadmStandIn kubeadmW = new KubeadmStandIn(new SupportedVersions().defaultVersion(), w1.root, cluster, w1)
                .onCall("join", InstallFlowTest::writeKubeletConf);
        String[] ww = InstallFlowTest.joinWords(command);
        String[] words = java.util.Arrays.copyOf(ww, ww.length + 2);
        words[ww.length] = "node-name=worker-1";
        words[ww.length + 1] = "airgap";
        CliHarness join = new CliHarness(tmp, w1.root, kubeadmW);
        assertEquals(0, join.run(words), join.err + "\n" + kubeadmW.rejections());
        assertTrue(Files.exists(w1.root.resolve("usr/bin/kubelet")));
        assertTrue(w1.displayed().contains("ctr -n k8s.io images import /var/lib/kubestead/bundle/images/pause.tar"));
        assertFalse(Files.exists(w1.root.resolve("etc/systemd/system/kubestead-bundle-server.service")), "workers serve nothing");
    }

    @Test
    void aWorkerWithNothingBesideInstallShFetchesTheBundleFromTheMaster() throws Exception {
        StandInCluster cluster = new StandInCluster();
        StandInNode m1 = new StandInNode(tmp.resolve("m1"));
        extractedBundle(m1);
        KubeadmStandIn kubeadm = InstallFlowTest.kubeadm(m1, cluster);
        assertEquals(0, new CliHarness(tmp, m1.root, kubeadm).run("install", "airgap", "yes"));
        CliHarness script = new CliHarness(tmp, m1.root, kubeadm);
        assertEquals(0, script.run("join-script", "worker"), script.err.toString());
        String command = script.out.toString().lines().filter(l -> l.contains(" join ")).findFirst().orElseThrow();
        String token = java.util.Arrays.stream(InstallFlowTest.joinWords(command)).filter(w -> w.startsWith("token="))
                .findFirst().orElseThrow().substring(6);

        // the master's bundle server, as kubestead-bundle-server runs it, with the CA the install generated (loopback)
        var host = new io.kubestead.agent.host.RootedHost("m1", m1.root, m1, new io.kubestead.agent.host.ActionLog());
        var ca = io.kubestead.agent.pki.CaLoader.existing(host, io.kubestead.agent.pki.CaKind.CA, java.time.Instant.now())
                .orElseThrow();
        try (var server = io.kubestead.agent.airgap.BundleServer.start(m1.root.resolve("var/lib/kubestead/bundle"),
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0),
                io.kubestead.agent.airgap.BundleTls.serverContext(ca, List.of("127.0.0.1"), java.time.Instant.now(),
                        new java.security.SecureRandom()), token::equals)) {
            StandInNode w1 = new StandInNode(tmp.resolve("w1"));
            KubeadmStandIn kubeadmW = new KubeadmStandIn(new SupportedVersions().defaultVersion(), w1.root, cluster, w1)
                    .onCall("join", InstallFlowTest::writeKubeletConf);
            List<String> words = new java.util.ArrayList<>(java.util.Arrays.stream(InstallFlowTest.joinWords(command))
                    .map(w -> w.startsWith("masters=") ? "masters=127.0.0.1"
                            : w.startsWith("bundle-server-port=") ? "bundle-server-port=" + server.address().getPort() : w)
                    .toList());
            words.add("node-name=worker-1");
            words.add("airgap");
            CliHarness join = new CliHarness(tmp, w1.root, kubeadmW);
            assertEquals(0, join.run(words.toArray(String[]::new)), join.err + "\n" + kubeadmW.rejections());
            assertTrue(join.out.toString().contains("fetching the air-gap bundle from https://127.0.0.1:"), join.out.toString());
            assertTrue(join.out.toString().contains("[airgap/bundle] fetched   0% 0 B of "), join.out.toString());
            assertTrue(join.out.toString().lines().anyMatch(l -> l.matches("\\[airgap/bundle\\] fetched 100% (.+) of \\1")),
                    join.out.toString());
            assertEquals(Files.readString(m1.root.resolve("var/lib/kubestead/bundle/manifest.json")),
                    Files.readString(w1.root.resolve("var/lib/kubestead/bundle/manifest.json")));
            assertEquals("#!/bin/sh\necho kubelet\n", Files.readString(w1.root.resolve("usr/bin/kubelet")));
            assertTrue(w1.displayed().contains("ctr -n k8s.io images import /var/lib/kubestead/bundle/images/pause.tar"));
        }
    }

    /** A signed archive as the installer packs it, from the same files; returns its path. */
    static Path signedArchive(Path dir, java.security.KeyPair key) throws Exception {
        String version = new SupportedVersions().defaultVersion().toString();
        Path staging = FakeBundle.standard().image(PAUSE, "images/pause.tar", "oci layout".getBytes(StandardCharsets.UTF_8))
                .writeTo(dir.resolve("staging"));
        Files.delete(staging.resolve("manifest.json"));
        Path archive = dir.resolve("kubestead-airgap-" + version + "-linux-amd64.tar.zst");
        new io.kubestead.agent.bundle.BundleWriter(io.kubestead.agent.bundle.Compression.ZSTD).write(staging,
                new io.kubestead.agent.bundle.BundleWriter.Metadata(version, "amd64", "2026-01-01T00:00:00Z",
                        List.of(new io.kubestead.agent.bundle.BundleManifest.ImageEntry(PAUSE, "images/pause.tar"))),
                key.getPrivate(), archive);
        return archive;
    }

    @Test
    void theArchiveBesideInstallShIsVerifiedWithTheGivenKeyExtractedAndInstalled() throws Exception {
        var keys = io.kubestead.agent.bundle.BundleSignature.generate(new java.security.SecureRandom());
        Path pub = tmp.resolve("bundle-signing.pub");
        Files.write(pub, io.kubestead.agent.bundle.BundleSignature.publicKeyPem(keys.getPublic()));
        Path archive = signedArchive(tmp.resolve("release"), keys);

        StandInNode m1 = new StandInNode(tmp.resolve("m1"));
        KubeadmStandIn kubeadm = InstallFlowTest.kubeadm(m1, new StandInCluster());
        CliHarness h = new CliHarness(tmp, m1.root, kubeadm);
        h.variables.put("KUBESTEAD_AIRGAP_BUNDLE", archive.toString());
        assertEquals(0, h.run("install", "airgap", "yes", "bundle-public-key=" + pub), h.err + "\n" + kubeadm.rejections());
        assertTrue(Files.exists(m1.root.resolve("var/lib/kubestead/bundle/images/pause.tar")));
        assertTrue(Files.exists(m1.root.resolve("usr/bin/kubeadm")));
        // progress off a terminal: plain lines with the amounts, for the verification and the image import
        String total = io.kubestead.agent.progress.ConsoleMeter.human(io.kubestead.agent.bundle.BundleManifest.parse(
                Files.readAllBytes(m1.root.resolve("var/lib/kubestead/bundle/manifest.json"))).totalBytes());
        assertTrue(h.out.toString().contains("[airgap/bundle] verified and extracted   0% 0 B of " + total + "\n"), h.out.toString());
        assertTrue(h.out.toString().contains("[airgap/bundle] verified and extracted 100% " + total + " of " + total + "\n"),
                h.out.toString());
        assertTrue(h.out.toString().contains("[airgap/images] images   0% 0/1 " + PAUSE + ": importing\n"
                + "[airgap/images] images 100% 1/1\n"), h.out.toString());
        assertFalse(h.out.toString().contains("\r"), "no bar in a pipe");
    }

    @Test
    void anArchiveSignedByAnotherKeyIsRefusedAndNothingIsInstalled() throws Exception {
        var ours = io.kubestead.agent.bundle.BundleSignature.generate(new java.security.SecureRandom());
        var theirs = io.kubestead.agent.bundle.BundleSignature.generate(new java.security.SecureRandom());
        Path pub = tmp.resolve("bundle-signing.pub");
        Files.write(pub, io.kubestead.agent.bundle.BundleSignature.publicKeyPem(ours.getPublic()));
        Path archive = signedArchive(tmp.resolve("release"), theirs);

        StandInNode m1 = new StandInNode(tmp.resolve("m1"));
        CliHarness h = new CliHarness(tmp, m1.root, InstallFlowTest.kubeadm(m1, new StandInCluster()));
        h.variables.put("KUBESTEAD_AIRGAP_BUNDLE", archive.toString());
        assertNotEquals(0, h.run("install", "airgap", "yes", "bundle-public-key=" + pub));
        assertTrue(h.err.toString().contains("manifest.sig does not verify with the trusted key"), h.err.toString());
        assertFalse(Files.exists(m1.root.resolve("var/lib/kubestead/bundle")));
        assertFalse(Files.exists(m1.root.resolve("usr/bin/kubeadm")));
    }

    /** install airgap reads the archive with the same bounded reader as 'bundle verify': refused before planning. */
    @Test
    void theInstallRefusesHostileArchivesWithOneLineAndInstallsNothing() throws Exception {
        var keys = io.kubestead.agent.bundle.BundleSignature.generate(new java.security.SecureRandom());
        Path pub = Files.write(tmp.resolve("bundle-signing.pub"),
                io.kubestead.agent.bundle.BundleSignature.publicKeyPem(keys.getPublic()));
        Path release = Files.createDirectories(tmp.resolve("release"));
        Path pax = HostileBundles.hugeHeader(release.resolve("kubestead-airgap-pax.tar.zst"), (byte) 'x', 1 << 20,
                keys.getPrivate());
        Path conflict = HostileBundles.fileAndDirectory(release.resolve("kubestead-airgap-conflict.tar"), keys.getPrivate());
        String[][] cases = {
            {pax.toString(), "kubestead: air-gap bundle kubestead-airgap-pax.tar.zst: tar header 1 announces 1048576 bytes"
                    + " of PAX attributes; at most 65536 are read (not a bundle the installer wrote)"},
            {conflict.toString(), "kubestead: air-gap bundle kubestead-airgap-conflict.tar: manifest file 'bin' is also a"
                    + " directory of 'bin/kubeadm'"},
        };
        for (String[] c : cases) {
            StandInNode m1 = new StandInNode(tmp.resolve("m1-" + Path.of(c[0]).getFileName()));
            CliHarness h = new CliHarness(tmp, m1.root, InstallFlowTest.kubeadm(m1, new StandInCluster()));
            h.variables.put("KUBESTEAD_AIRGAP_BUNDLE", c[0]);
            assertEquals(2, h.run("install", "airgap", "yes", "bundle-public-key=" + pub), h.err.toString());
            assertEquals(c[1] + "\n", h.err.toString());
            assertFalse(Files.exists(m1.root.resolve("var/lib/kubestead/bundle")));
            assertFalse(Files.exists(m1.root.resolve("usr/bin/kubeadm")));
        }
    }

    /** The bundle directory holding someone's files (and no bundle) is refused, not swapped away. */
    @Test
    void theInstallRefusesToReplaceABundleDirectoryItDidNotWrite() throws Exception {
        var keys = io.kubestead.agent.bundle.BundleSignature.generate(new java.security.SecureRandom());
        Path pub = Files.write(tmp.resolve("bundle-signing.pub"),
                io.kubestead.agent.bundle.BundleSignature.publicKeyPem(keys.getPublic()));
        Path archive = signedArchive(tmp.resolve("release"), keys);
        StandInNode m1 = new StandInNode(tmp.resolve("m1"));
        Path dir = Files.createDirectories(m1.root.resolve("var/lib/kubestead/bundle"));
        Files.writeString(dir.resolve("notes.txt"), "mine\n");
        KubeadmStandIn kubeadm = InstallFlowTest.kubeadm(m1, new StandInCluster());
        CliHarness h = new CliHarness(tmp, m1.root, kubeadm);
        h.variables.put("KUBESTEAD_AIRGAP_BUNDLE", archive.toString());
        assertEquals(2, h.run("install", "airgap", "yes", "bundle-public-key=" + pub), h.err.toString());
        assertTrue(h.err.toString().contains("kubestead: target " + dir + " is not empty and is not a bundle extracted"
                + " earlier (no .kubestead-extracted matching its manifest.json); give a new or empty directory\n"),
                h.err.toString());
        assertEquals(List.of("notes.txt"), HostileBundles.names(dir));
        assertTrue(HostileBundles.names(dir.getParent()).stream().noneMatch(n -> n.startsWith(".bundle.extract-")),
                "no staging directory left");
        assertFalse(Files.exists(m1.root.resolve("usr/bin/kubeadm")));
    }

    @Test
    void anAirgappedInstallWithoutABundleSaysWhereToPutIt() throws Exception {
        StandInNode m1 = new StandInNode(tmp.resolve("m1"));
        KubeadmStandIn kubeadm = InstallFlowTest.kubeadm(m1, new StandInCluster());
        CliHarness h = new CliHarness(tmp, m1.root, kubeadm);
        assertNotEquals(0, h.run("install", "airgap", "yes"));
        assertTrue(h.err.toString().contains("no air-gap bundle found; put kubestead-airgap-<version>-linux-<arch>.tar.zst"
                + " beside install.sh and rerun"), h.err.toString());
        assertFalse(Files.exists(m1.root.resolve("usr/bin/kubeadm")));
    }

    private static int indexOf(List<String> shown, String command) {
        int i = shown.indexOf(command);
        assertTrue(i >= 0, command + " not run: " + shown);
        return i;
    }
}
