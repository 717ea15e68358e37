package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.airgap.FakeBundle;
import io.kubestead.agent.bundle.BundleManifest;
import io.kubestead.agent.bundle.BundleSignature;
import io.kubestead.agent.bundle.BundleWriter;
import io.kubestead.agent.bundle.Compression;
import io.kubestead.agent.kubeadm.standin.KubeadmStandIn;
import io.kubestead.agent.kubeadm.standin.StandInCluster;
import io.kubestead.agent.spec.SupportedVersions;
import io.kubestead.agent.version.KubernetesVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An air-gapped install or join without kubernetes-version installs the bundle's version, read from its signed
 * manifest before the plan is made; a different version word or an unsupported bundle is a one-line error.
 */
class AirgapVersionFlowTest {
    private static final String BUNDLED = "1.33.4";
    @TempDir
    Path tmp;
    private KeyPair key;
    private Path pub;

    @BeforeEach
    void keys() throws Exception {
        key = BundleSignature.generate(new SecureRandom());
        pub = Files.write(tmp.resolve("bundle-signing.pub"), BundleSignature.publicKeyPem(key.getPublic()));
        // the point of these tests: the bundle's version is not the agent's default
        assertFalse(new SupportedVersions().defaultVersion().toString().equals(BUNDLED));
    }

    /** A signed archive holding Kubernetes {@code version}, as install.sh finds it beside itself. */
    private Path archive(String version, KeyPair signer) throws Exception {
        Path staging = FakeBundle.standard().image(AirgapFlowTest.PAUSE, "images/pause.tar",
                "oci layout".getBytes(StandardCharsets.UTF_8)).writeTo(tmp.resolve("staging-" + version));
        Files.delete(staging.resolve("manifest.json"));
        Path archive = Files.createDirectories(tmp.resolve("release-" + version))
                .resolve("kubestead-airgap-" + version + "-linux-amd64.tar.zst");
        new BundleWriter(Compression.ZSTD).write(staging, new BundleWriter.Metadata(version, "amd64", "2026-01-01T00:00:00Z",
                List.of(new BundleManifest.ImageEntry(AirgapFlowTest.PAUSE, "images/pause.tar"))), signer.getPrivate(), archive);
        return archive;
    }

    @Test
    void withoutTheWordTheInstallUsesTheSignedBundlesVersionAndSaysSo() throws Exception {
        Path archive = archive(BUNDLED, key);
        StandInNode m1 = new StandInNode(tmp.resolve("m1"));
        // the stand-in rejects a kubeadm config of any other version
        KubeadmStandIn kubeadm = InstallFlowTest.kubeadm(m1, new StandInCluster(), KubernetesVersion.parse(BUNDLED));
        CliHarness h = new CliHarness(tmp, m1.root, kubeadm);
        h.variables.put("KUBESTEAD_AIRGAP_BUNDLE", archive.toString());
        assertEquals(0, h.run("install", "airgap", "yes", "bundle-public-key=" + pub), h.err + "\n" + kubeadm.rejections());
        assertTrue(kubeadm.rejections().isEmpty(), kubeadm.rejections().toString());
        assertEquals(BUNDLED, new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(m1.root.resolve("etc/kubestead/install.json").toFile()).path("kubernetesVersion").asText());
        assertTrue(h.out.toString().contains("Kubernetes " + BUNDLED + ", the version of the air-gap bundle (" + archive
                + ", signed manifest)"), h.out.toString());
        assertEquals("#!/bin/sh\necho kubeadm\n", Files.readString(m1.root.resolve("usr/bin/kubeadm")));
    }

    @Test
    void theDryRunPlanShowsTheBundlesVersionAndWhereItCameFrom() throws Exception {
        Path archive = archive(BUNDLED, key);
        CliHarness h = new CliHarness(tmp);
        h.root = false;
        h.variables.put("KUBESTEAD_AIRGAP_BUNDLE", archive.toString());
        assertEquals(0, h.run("install", "airgap", "dry-run=d", "bundle-public-key=" + pub), h.err.toString());
        String plan = Files.readString(tmp.resolve("d/plan.txt"));
        assertTrue(plan.contains("# Kubernetes " + BUNDLED + ", the version of the air-gap bundle (" + archive
                + ", signed manifest)"), plan);
        assertTrue(plan.contains("Install kubelet, kubeadm and kubectl " + BUNDLED), plan);
        String init = Files.readString(tmp.resolve("d/etc/kubestead/kubeadm-init.yaml"));
        assertTrue(init.contains("kubernetesVersion: v" + BUNDLED), init);
    }

    @Test
    void aDifferentVersionWordIsOneLineNamingBothAndNothingIsWritten() throws Exception {
        Path archive = archive(BUNDLED, key);
        String asked = new SupportedVersions().defaultVersion().toString();
        CliHarness h = new CliHarness(tmp);
        h.variables.put("KUBESTEAD_AIRGAP_BUNDLE", archive.toString());
        assertEquals(2, h.run("install", "airgap", "yes", "kubernetes-version=" + asked, "bundle-public-key=" + pub));
        assertEquals(List.of("kubestead: word 'kubernetes-version=" + asked + "' asks for Kubernetes " + asked
                + " but the air-gap bundle (" + archive + ", signed manifest) holds " + BUNDLED + "; drop the word to install "
                + BUNDLED + ", or use the bundle built for " + asked), h.err.toString().lines().toList());
        assertFalse(Files.exists(tmp.resolve("host")), "nothing written");

        // the same version, or its bare minor, agrees
        CliHarness same = new CliHarness(tmp);
        same.root = false;
        same.variables.put("KUBESTEAD_AIRGAP_BUNDLE", archive.toString());
        assertEquals(0, same.run("install", "airgap", "kubernetes-version=1.33", "dry-run=d", "bundle-public-key=" + pub),
                same.err.toString());
        assertTrue(Files.readString(tmp.resolve("d/plan.txt")).contains("Install kubelet, kubeadm and kubectl " + BUNDLED));
    }

    @Test
    void aBundleOfAnUnsupportedVersionIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path archive = archive("1.27.3", key);
        CliHarness h = new CliHarness(tmp);
        h.variables.put("KUBESTEAD_AIRGAP_BUNDLE", archive.toString());
        assertEquals(2, h.run("install", "airgap", "yes", "bundle-public-key=" + pub));
        assertEquals(List.of("kubestead: the air-gap bundle (" + archive + ", signed manifest) holds Kubernetes 1.27.3,"
                + " which this agent does not install (supported: " + new SupportedVersions().range() + "); use a bundle"
                + " built for a supported version"), h.err.toString().lines().toList());
        assertFalse(Files.exists(tmp.resolve("host")), "nothing written");
    }

    @Test
    void theVersionIsBelievedOnlyAfterTheSignatureVerifies() throws Exception {
        Path archive = archive(BUNDLED, BundleSignature.generate(new SecureRandom()));
        CliHarness h = new CliHarness(tmp);
        h.variables.put("KUBESTEAD_AIRGAP_BUNDLE", archive.toString());
        assertEquals(2, h.run("install", "airgap", "yes", "bundle-public-key=" + pub));
        assertTrue(h.err.toString().contains("air-gap bundle " + archive.getFileName()
                + ": manifest.sig does not verify with the trusted key"), h.err.toString());
        assertFalse(Files.exists(tmp.resolve("host")), "nothing written");
    }

    @Test
    void anAirgappedJoinTakesTheVersionFromTheBundleAlreadyExtractedOnTheHost() throws Exception {
        CliHarness h = new CliHarness(tmp);
        h.root = false;
        // FakeBundle's manifest says 1.33.4; in a dry-run the tree under d/ stands for the host
        FakeBundle.standard().writeTo(tmp.resolve("d/var/lib/kubestead/bundle"));
        io.kubestead.agent.spec.DryRunDir.claim(tmp.resolve("d")); // as an earlier dry run would have
        List<String> words = List.of("join", "endpoint=api.kubernetes.kubestead.internal:6443", "endpoint-address=10.0.0.4", "token=abcdef.0123456789abcdef",
                "ca-hash=sha256:" + "a".repeat(64), "airgap", "dry-run=d");
        assertEquals(0, h.run(words.toArray(String[]::new)), h.err.toString());
        String plan = Files.readString(tmp.resolve("d/plan.txt"));
        assertTrue(plan.contains("# Kubernetes " + BUNDLED + ", the version of the air-gap bundle (extracted in"
                + " /var/lib/kubestead/bundle)"), plan);
        assertTrue(plan.contains("Install kubelet, kubeadm and kubectl " + BUNDLED), plan);

        CliHarness other = new CliHarness(tmp);
        other.root = false;
        List<String> withWord = new java.util.ArrayList<>(words);
        withWord.add("kubernetes-version=1.34.1");
        assertEquals(2, other.run(withWord.toArray(String[]::new)));
        assertTrue(other.err.toString().contains("asks for Kubernetes 1.34.1 but the air-gap bundle (extracted in"
                + " /var/lib/kubestead/bundle) holds " + BUNDLED), other.err.toString());
    }
}
