package io.kubestead.installer.airgap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.spec.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    private static final String LOCAL = """
            kubernetesVersion: "1.34.4"
            arch: amd64
            created: "2026-01-01T00:00:00Z"
            binaries:
              - name: kubeadm
                file: %s
                sha256: "%s"
                path: bin/kubeadm
            images:
              - ref: registry.k8s.io/pause:3.10
                file: %s
                digest: "%s"
              - docker.io/flannel/flannel:v0.26.1
            """;

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
    void localFilesAndImagesAreReadWithTheirPins() throws IOException {
        AirgapManifest m = load(LOCAL.formatted("/var/cache/kubeadm", HEX, "/var/cache/pause.tar", "sha256:" + HEX));
        AirgapManifest.Binary kubeadm = m.binaries().get(0);
        assertEquals("/var/cache/kubeadm", kubeadm.file());
        assertEquals(null, kubeadm.url());
        assertEquals(List.of("registry.k8s.io/pause:3.10", "docker.io/flannel/flannel:v0.26.1"), m.imageRefs());
        AirgapManifest.Image pause = m.images().get(0);
        assertTrue(pause.local());
        assertEquals("/var/cache/pause.tar", pause.file());
        assertEquals("sha256:" + HEX, pause.digest());
        assertFalse(m.images().get(1).local());
    }

    @Test
    void aLocalSourceNeedsAnAbsolutePathAndAPinnedDigest() {
        SpecException relative = assertThrows(SpecException.class,
                () -> load(LOCAL.formatted("cache/kubeadm", HEX, "/var/cache/pause.tar", "sha256:" + HEX)));
        assertTrue(relative.getMessage().contains("binary kubeadm: file must be an absolute path"), relative.getMessage());
        SpecException unpinnedFile = assertThrows(SpecException.class,
                () -> load(LOCAL.formatted("/var/cache/kubeadm", "", "/var/cache/pause.tar", "sha256:" + HEX)));
        assertTrue(unpinnedFile.getMessage().contains("binary kubeadm: checksum not pinned"), unpinnedFile.getMessage());
        for (String bad : new String[] {"", HEX, "sha256:" + HEX.substring(1), "sha512:" + HEX}) {
            SpecException e = assertThrows(SpecException.class,
                    () -> load(LOCAL.formatted("/var/cache/kubeadm", HEX, "/var/cache/pause.tar", bad)), bad);
            assertTrue(e.getMessage().contains("image registry.k8s.io/pause:3.10: digest not pinned"), e.getMessage());
        }
        SpecException relativeImage = assertThrows(SpecException.class,
                () -> load(LOCAL.formatted("/var/cache/kubeadm", HEX, "pause.tar", "sha256:" + HEX)));
        assertTrue(relativeImage.getMessage().contains("file must be an absolute path"), relativeImage.getMessage());
    }

    @Test
    void aBinaryNeedsExactlyOneOfUrlAndFile() {
        String both = OK.formatted(HEX, "bin/kubeadm").replace("    sha256:", "    file: /var/cache/kubeadm\n    sha256:");
        SpecException e = assertThrows(SpecException.class, () -> load(both));
        assertTrue(e.getMessage().contains("give either url (a download) or file (a local file)"), e.getMessage());
        String neither = OK.formatted(HEX, "bin/kubeadm").replaceAll("    url: .*\n", "");
        assertTrue(assertThrows(SpecException.class, () -> load(neither)).getMessage().contains("give either url"));
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
