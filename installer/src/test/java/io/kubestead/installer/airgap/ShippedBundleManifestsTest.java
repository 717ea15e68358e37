package io.kubestead.installer.airgap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.plan.phases.InstallImages;
import io.kubestead.agent.spec.SpecException;
import io.kubestead.agent.spec.SupportedVersions;
import io.kubestead.agent.version.KubernetesVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every manifest under airgap/ is ready to build and fits the agent: all checksums pinned, every download over
 * https, the Kubernetes patch the agent installs for that minor, and exactly the images an install at that version
 * pulls (the agent's own choices from {@link InstallImages} plus the etcd and CoreDNS tags kubeadm picks).
 */
class ShippedBundleManifestsTest {
    private static final Path BUNDLES = Path.of("../airgap");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern FILE_NAME = Pattern.compile("kubernetes-(\\d+\\.\\d+)\\.yaml");

    /**
     * etcd, CoreDNS and pause as kubeadm of that exact release chooses them and pulls in its preflight
     * (cmd/kubeadm/app/constants/constants.go: SupportedEtcdVersion, CoreDNSVersion, PauseVersion). 1.33.6: etcd
     * raised to 3.5.24-0 by kubernetes/kubernetes#135018 (CHANGELOG-1.33, v1.33.6); CoreDNS v1.12.0 and pause 3.10
     * for all of 1.33. A new bundle needs its row here; where kubeadm's pause differs from the agent's containerd
     * sandbox image, the bundle must carry both.
     */
    private static final Map<String, List<String>> KUBEADM_PICKS = Map.of(
            "1.33.6", List.of("registry.k8s.io/etcd:3.5.24-0", "registry.k8s.io/coredns/coredns:v1.12.0",
                    "registry.k8s.io/pause:3.10"));

    @TempDir
    Path dir;

    @Test
    void everyShippedManifestIsPinnedAndMatchesTheAgentsImages() throws IOException {
        List<Path> manifests = shipped();
        assertFalse(manifests.isEmpty(), "airgap/ holds at least one kubernetes-*.yaml");
        for (Path m : manifests) {
            assertEquals(List.of(), problems(m), m.toString());
        }
    }

    @Test
    void aPlaceholderChecksumIsCaught() throws IOException {
        Path m = variant(s -> s.replaceFirst("sha256: [0-9a-f]{64}", "sha256: UNPINNED-see-url.sha256"));
        List<String> p = problems(m);
        assertTrue(p.stream().anyMatch(s -> s.contains("UNPINNED")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("checksum not pinned")), p.toString());
    }

    @Test
    void aChecksumInUpperCaseOrTooShortIsCaught() throws IOException {
        Matcher first = Pattern.compile("sha256: ([0-9a-f]{64})").matcher(Files.readString(shipped133()));
        assertTrue(first.find());
        String sum = first.group(1);
        assertFalse(problems(variant(s -> s.replace(sum, sum.toUpperCase()))).isEmpty());
        assertFalse(problems(variant(s -> s.replace(sum, sum.substring(1)))).isEmpty());
    }

    @Test
    void aPlainHttpDownloadIsCaught() throws IOException {
        List<String> p = problems(variant(s -> s.replace("url: https://dl.k8s.io/", "url: http://dl.k8s.io/")));
        assertTrue(p.stream().anyMatch(s -> s.contains("must be https")), p.toString());
    }

    @Test
    void aPatchOtherThanTheOneTheAgentInstallsIsCaught() throws IOException {
        List<String> p = problems(variant(s -> s.replace("kubernetesVersion: \"1.33.6\"", "kubernetesVersion: \"1.33.4\"")));
        assertTrue(p.stream().anyMatch(s -> s.contains("the agent installs 1.33.6")), p.toString());
    }

    @Test
    void aVersionWithoutARecordOfKubeadmsImagesOrInTheWrongFileIsCaught() throws IOException {
        List<String> p = problems(variant(s -> s.replace("kubernetesVersion: \"1.33.6\"", "kubernetesVersion: \"1.34.4\"")));
        assertTrue(p.stream().anyMatch(s -> s.contains("file is named for 1.33")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("no record of the etcd, CoreDNS and pause tags kubeadm 1.34.4")), p.toString());
    }

    @Test
    void imagesTheInstallNeedsButTheBundleLacksOrExtraOnesAreCaught() throws IOException {
        List<String> missing = problems(variant(s -> s.replace("  - registry.k8s.io/pause:3.10\n", "")));
        assertTrue(missing.stream().anyMatch(s -> s.contains("lacks") && s.contains("registry.k8s.io/pause:3.10")), missing.toString());
        List<String> wrongEtcd = problems(variant(s -> s.replace("registry.k8s.io/etcd:3.5.24-0", "registry.k8s.io/etcd:3.5.21-0")));
        assertTrue(wrongEtcd.stream().anyMatch(s -> s.contains("lacks") && s.contains("etcd:3.5.24-0")), wrongEtcd.toString());
        assertTrue(wrongEtcd.stream().anyMatch(s -> s.contains("not needed") && s.contains("etcd:3.5.21-0")), wrongEtcd.toString());
    }

    @Test
    void aLocalFileOrImageSourceIsCaught() throws IOException {
        List<String> file = problems(variant(s -> s.replace("url: https://dl.k8s.io/release/v1.33.6/bin/linux/amd64/kubeadm",
                "file: /var/cache/kubeadm")));
        assertTrue(file.stream().anyMatch(s -> s.contains("binary kubeadm: url must be https") && s.contains("/var/cache/kubeadm")),
                file.toString());
        String digest = "sha256:" + "a".repeat(64);
        List<String> image = problems(variant(s -> s.replace("  - registry.k8s.io/pause:3.10\n",
                "  - {ref: registry.k8s.io/pause:3.10, file: /var/cache/pause.tar, digest: \"" + digest + "\"}\n")));
        assertTrue(image.stream().anyMatch(s -> s.contains("image registry.k8s.io/pause:3.10: comes from the local file")),
                image.toString());
        assertFalse(image.stream().anyMatch(s -> s.contains("lacks")), image.toString());
    }

    /** Everything wrong with one manifest, each a sentence naming the field; empty when it is ready. */
    static List<String> problems(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        String text = Files.readString(file);
        if (text.toUpperCase().contains("UNPINNED")) {
            out.add("still has UNPINNED placeholders");
        }
        AirgapManifest m;
        try {
            m = AirgapManifest.load(file);
        } catch (SpecException e) {
            out.add(e.getMessage());
            return out;
        }
        for (AirgapManifest.Binary b : m.binaries()) {
            if (b.url() == null || !b.url().startsWith("https://")) {
                out.add("binary " + b.name() + ": url must be https, not " + b.source()
                        + " (a local file is for a bundle built from local builds, not a shipped manifest)");
            }
            if (!SHA256.matcher(b.sha256()).matches()) {
                out.add("binary " + b.name() + ": sha256 must be 64 lower-case hex digits");
            }
        }
        KubernetesVersion v = KubernetesVersion.parse(m.kubernetesVersion());
        Matcher name = FILE_NAME.matcher(file.getFileName().toString());
        String minor = v.major() + "." + v.minor();
        if (name.matches() && !name.group(1).equals(minor)) {
            out.add("file is named for " + name.group(1) + " but holds Kubernetes " + v);
        }
        KubernetesVersion agents = new SupportedVersions().resolve(minor);
        if (!agents.equals(v)) {
            out.add("kubernetesVersion " + v + ": the agent installs " + agents + " for " + minor
                    + " and refuses a bundle for another patch");
        }
        List<String> kubeadm = KUBEADM_PICKS.get(v.toString());
        if (kubeadm == null) {
            out.add("no record of the etcd, CoreDNS and pause tags kubeadm " + v + " uses: add them to KUBEADM_PICKS");
            kubeadm = List.of();
        }
        Set<String> expected = new LinkedHashSet<>(InstallImages.named(v));
        expected.addAll(kubeadm);
        for (AirgapManifest.Image i : m.images()) {
            if (i.local()) {
                out.add("image " + i.ref() + ": comes from the local file " + i.file()
                        + "; a shipped manifest pulls from the registry");
            }
        }
        Set<String> actual = new LinkedHashSet<>(m.imageRefs());
        for (String e : expected) {
            if (!actual.contains(e)) {
                out.add("images: lacks " + e + ", which an install at " + v + " pulls");
            }
        }
        for (String a : actual) {
            if (!expected.contains(a)) {
                out.add("images: " + a + " is not needed by an install at " + v);
            }
        }
        return out;
    }

    private static List<Path> shipped() throws IOException {
        try (Stream<Path> s = Files.list(BUNDLES)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static Path shipped133() {
        Path p = BUNDLES.resolve("kubernetes-1.33.yaml");
        assertTrue(Files.isRegularFile(p), "airgap/kubernetes-1.33.yaml is shipped");
        return p;
    }

    private Path variant(java.util.function.UnaryOperator<String> edit) throws IOException {
        String original = Files.readString(shipped133());
        String changed = edit.apply(original);
        assertFalse(changed.equals(original), "the edit changes the manifest");
        Path f = dir.resolve("kubernetes-1.33.yaml");
        Files.writeString(f, changed);
        return f;
    }
}
