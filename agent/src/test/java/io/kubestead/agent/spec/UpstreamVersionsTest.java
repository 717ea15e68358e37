package io.kubestead.agent.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kubestead.agent.upstream.UpstreamBinaries;
import io.kubestead.agent.version.KubernetesVersion;
import org.junit.jupiter.api.Test;

/** The releases the real-kubeadm tests build are the very patches the agent installs for their minors. */
class UpstreamVersionsTest {
    @Test
    void eachTestedReleaseIsThePatchTheAgentInstallsForItsMinor() {
        SupportedVersions supported = new SupportedVersions();
        assertFalse(UpstreamBinaries.releases().isEmpty());
        for (UpstreamBinaries.Release r : UpstreamBinaries.releases()) {
            KubernetesVersion installed = supported.resolve("1." + r.minor());
            assertEquals(r.bare(), installed.toString(), "kubernetes-version=1." + r.minor() + " installs " + installed
                    + " but the real-kubeadm tests prove " + r.version() + " (" + UpstreamBinaries.VERSIONS + ")");
        }
    }
}
