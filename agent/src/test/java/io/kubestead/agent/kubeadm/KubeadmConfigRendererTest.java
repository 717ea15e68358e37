package io.kubestead.agent.kubeadm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
