package io.kubestead.installer.airgap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.spec.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AirgapManifestTest {
    private static final String OK = """
            kubernetesVersion: "1.33.4"
            arch: amd64
            created: "2026-01-01T00:00:00Z"
            binaries:
              - name: kubeadm
                url: https://dl.k8s.io/release/v1.33.4/bin/linux/amd64/kubeadm
                sha256: %s
                path: %s
            images:
              - registry.k8s.io/pause:3.10
              - docker.io/flannel/flannel:v0.26.1
            """;
    private static final String HEX = "a".repeat(64);

    @TempDir
    Path dir;

    @Test
    void readsAValidManifestWithDefaults() throws IOException {
        AirgapManifest m = load(OK.formatted(HEX, "bin/kubeadm"));
        assertEquals("installer/target/dist", m.agent());
        assertEquals(0755, m.binaries().get(0).modeBits());
        assertEquals(2, m.images().size());
    }

    @Test
    void anUnpinnedChecksumIsRefused() {
        SpecException e = assertThrows(SpecException.class, () -> load(OK.formatted("PLACEHOLDER-not-pinned", "bin/kubeadm")));
        assertTrue(e.getMessage().contains("binary kubeadm: checksum not pinned"), e.getMessage());
    }

    @Test
    void pathsMustStayInsideTheBundle() {
        for (String bad : new String[] {"/bin/kubeadm", "../kubeadm", "bin//kubeadm", "bin/./kubeadm"}) {
            SpecException e = assertThrows(SpecException.class, () -> load(OK.formatted(HEX, bad)), bad);
            assertTrue(e.getMessage().contains("must be relative"), e.getMessage());
        }
    }

    @Test
    void unknownFieldsAndBadModesAreRefused() {
        assertThrows(SpecException.class, () -> load(OK.formatted(HEX, "bin/kubeadm") + "extra: 1\n"));
        SpecException e = assertThrows(SpecException.class,
                () -> load(OK.formatted(HEX, "bin/kubeadm\n    mode: \"0999\"")));
        assertTrue(e.getMessage().contains("must be octal"), e.getMessage());
    }

    @Test
    void imageReferencesAreSplitForTheRegistryApi() {
        ImageReference hub = ImageReference.parse("docker.io/library/haproxy:2.8.14-alpine");
        assertEquals("registry-1.docker.io", hub.apiHost());
        assertEquals("library/haproxy", hub.repository());
        assertEquals("images/haproxy.tar", hub.fileName());
        ImageReference k8s = ImageReference.parse("registry.k8s.io/coredns/coredns:v1.12.0");
        assertEquals("registry.k8s.io", k8s.apiHost());
        assertEquals("coredns/coredns", k8s.repository());
        assertEquals("v1.12.0", k8s.manifestReference());
        assertEquals("library/busybox", ImageReference.parse("busybox:1").repository());
        ImageReference local = ImageReference.parse("127.0.0.1:5000/test/tiny@sha256:" + HEX);
        assertEquals("127.0.0.1:5000", local.registry());
        assertEquals("sha256:" + HEX, local.manifestReference());
        assertThrows(SpecException.class, () -> ImageReference.parse("registry.k8s.io/pause"));
    }

    private AirgapManifest load(String yaml) throws IOException {
        Path f = dir.resolve("m.yaml");
        Files.writeString(f, yaml);
        return AirgapManifest.load(f);
    }
}
