package io.kubestead.agent.kubeadm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.version.KubernetesVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Golden files under src/test/resources/kubeadm. To regenerate after an intended change run the tests with
 * {@code -Dkubestead.golden.update=true} and review the diff.
 */
class KubeadmConfigRendererTest {
    private final KubeadmConfigRenderer renderer = new KubeadmConfigRenderer();

    @Test
    void init130HaExternalLbTaintedIsV1beta3() throws IOException {
        golden("init-1.30-ha-external-lb-taint.yaml", renderer.renderInit(Fixtures.init(Fixtures.cluster("1.30.5", true))));
    }

    @Test
    void init133HaExternalLbTaintedIsV1beta4() throws IOException {
        golden("init-1.33-ha-external-lb-taint.yaml", renderer.renderInit(Fixtures.init(Fixtures.cluster("1.33.4", true))));
    }

    @Test
    void init133UntaintedWritesExplicitEmptyTaints() throws IOException {
        golden("init-1.33-ha-external-lb-no-taint.yaml",
                renderer.renderInit(Fixtures.init(Fixtures.cluster("1.33.4", false))));
    }

    @Test
    void joinControlPlane130IsV1beta3() throws IOException {
        golden("join-1.30-control-plane-taint.yaml", renderer.renderJoin(Fixtures.joinMaster("1.30.5", true)));
    }

    @Test
    void joinControlPlane133IsV1beta4() throws IOException {
        golden("join-1.33-control-plane-taint.yaml", renderer.renderJoin(Fixtures.joinMaster("1.33.4", true)));
    }

    @Test
    void joinWorker133() throws IOException {
        golden("join-1.33-worker.yaml", renderer.renderJoin(Fixtures.joinWorker("1.33.4")));
    }

    @Test
    void aReadOnlyConntrackTableLeavesItsSizeToTheKernelAndRealKubeadmAcceptsIt(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws IOException {
        InitConfigInput in = Fixtures.init(Fixtures.cluster("1.34.4", true));
        assertEquals(renderer.renderInit(in), renderer.renderInit(in, false));
        assertFalse(renderer.renderInit(in).contains("conntrack"));
        String yaml = renderer.renderInit(in, true);
        assertTrue(yaml.contains("\nconntrack:\n  maxPerCore: 0\n"), yaml);
        var release = io.kubestead.agent.upstream.UpstreamBinaries.releases().stream()
                .filter(r -> r.version().equals("v1.34.4")).findFirst().orElseThrow();
        Path kubeadm = io.kubestead.agent.upstream.UpstreamBinaries.binary(release, "kubeadm");
        Path config = tmp.resolve("init.yaml");
        Files.writeString(config, yaml);
        var run = io.kubestead.agent.upstream.UpstreamBinaries.run(kubeadm.toString(), "config", "validate", "--config",
                config.toString()).ok();
        assertFalse(run.output().contains("conntrack"), run.output());
    }

    @Test
    void untaintedMasterJoinHasExplicitEmptyTaintList() {
        String yaml = renderer.renderJoin(Fixtures.joinMaster("1.35.0", false));
        assertTrue(yaml.contains("\n  taints: []\n"), yaml);
    }

    @Test
    void profilingFalseIsQuotedSoKubeadmReadsAString() {
        String yaml = renderer.renderInit(Fixtures.init(Fixtures.cluster("1.30.5", false)));
        assertTrue(yaml.contains("profiling: \"false\""), yaml);
    }

    @Test
    void aCgroupV1HostKeptKnowinglyTellsTheKubeletAndKubeadmPreflight() {
        NodeSettings kept = new NodeSettings("master-1", "10.0.0.11", null, true);
        String init = renderer.renderInit(new InitConfigInput(Fixtures.cluster("1.35.5", false), kept, Fixtures.TOKEN,
                null, Fixtures.KEY));
        assertTrue(init.contains("  ignorePreflightErrors:\n  - SystemVerification\n"), init);
        assertTrue(init.contains("kind: KubeletConfiguration\ncgroupDriver: systemd\nrotateCertificates: true\n"
                + "failCgroupV1: false\n"), init);
        String join = renderer.renderJoin(JoinConfigInput.worker(KubernetesVersion.parse("1.35.5"),
                new NodeSettings("worker-1", "10.0.0.21", null, true), "10.0.0.10:6443", Fixtures.TOKEN,
                List.of(Fixtures.HASH)));
        assertTrue(join.contains("  ignorePreflightErrors:\n  - SystemVerification\n"), join);
        assertTrue(join.contains("patches:\n  directory: " + KubeadmConfigRenderer.PATCHES_DIR + "\n"), join);
        String plain = renderer.renderInit(Fixtures.init(Fixtures.cluster("1.35.5", false)));
        assertFalse(plain.contains("failCgroupV1") || plain.contains("ignorePreflightErrors"), plain);
        assertTrue(NodeSettings.keepsCgroupV1(Set.of("cgroups"), KubernetesVersion.parse("1.35.0")));
        assertFalse(NodeSettings.keepsCgroupV1(Set.of("cgroups"), KubernetesVersion.parse("1.34.4")),
                "1.34's kubelet runs on cgroup v1 as it is");
        assertFalse(NodeSettings.keepsCgroupV1(Set.of("swap"), KubernetesVersion.parse("1.37.2")));
    }

    @Test
    void secretsThatGoWouldReadAsNumbersAreQuoted() {
        BootstrapToken digits = BootstrapToken.parse("123456.0123456789012345");
        CertificateKey exponent = CertificateKey.parse("1e" + "0".repeat(62));
        InitConfigInput in = new InitConfigInput(Fixtures.cluster("1.33.0", false), Fixtures.MASTER1, digits,
                null, exponent);
        String yaml = renderer.renderInit(in);
        assertTrue(yaml.contains("token: \"123456.0123456789012345\""), yaml);
        assertTrue(yaml.contains("certificateKey: \"1e000"), yaml);
    }

    private static void golden(String name, String actual) throws IOException {
        Path file = Path.of("src/test/resources/kubeadm", name);
        if (Boolean.getBoolean("kubestead.golden.update")) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(file), "golden file missing: " + file + " (run with -Dkubestead.golden.update=true)");
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, name);
    }
}
