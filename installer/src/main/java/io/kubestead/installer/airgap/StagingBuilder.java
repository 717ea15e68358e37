package io.kubestead.installer.airgap;

import io.kubestead.agent.cni.FlannelManifest;
import io.kubestead.agent.spec.SpecException;
import io.kubestead.installer.bundle.Modes;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds the staging directory of an air-gap bundle from an {@link AirgapManifest}: binaries checked as they
 * download (or are copied from a local file), release tarball members, images as OCI layout tars (fetched, or taken
 * from a local layout tar by their pinned digest), the CNI manifest and the agent bundle. The
 * directory is built beside the target and renamed into place at the end, so a failure leaves no half-built one.
 * Same manifest and same upstream bytes give the same files, modes and mtimes.
 */
public final class StagingBuilder {
    private final Downloader downloader;
    private final ImageFetcher images;
    private final ProgressListener progress;

    public StagingBuilder(Downloader downloader, ImageFetcher images, ProgressListener progress) {
        this.downloader = downloader;
        this.images = images;
        this.progress = progress;
    }

    /**
     * Builds into out (which must not exist or be empty). baseDir resolves the manifest's relative agent path
     * (normally the source checkout).
     */
    public StagedBundle build(AirgapManifest m, Path baseDir, Path out) throws IOException {
        if (Files.exists(out) && (!Files.isDirectory(out) || !isEmpty(out))) {
            throw new SpecException("--out " + out + " exists and is not an empty directory: remove it or choose another");
        }
        Path agentDir = baseDir.resolve(m.agent());
        List<Path> agentFiles = agentFiles(agentDir, m.arch());
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path work = Files.createTempDirectory(parent, "." + out.getFileName() + "-building-");
        try {
            Path staging = Files.createDirectory(work.resolve("staging"));
            Path downloads = Files.createDirectory(work.resolve("downloads"));
            for (AirgapManifest.Binary b : m.binaries()) {
                binary(b, staging, downloads);
            }
            List<StagedBundle.Image> staged = new ArrayList<>();
            for (AirgapManifest.Image image : m.images()) {
                String path = ImageReference.parse(image.ref()).fileName();
                if (image.local()) {
                    LocalImage.copy(image, staging.resolve(path), m.createdInstant(), downloads);
                } else {
                    images.fetch(image.ref(), m.arch(), staging.resolve(path), m.createdInstant(), progress);
                }
                staged.add(new StagedBundle.Image(image.ref(), path));
            }
            if (m.manifests() != null && m.manifests().flannel() != null) {
                String podCidr = m.manifests().flannel().podCidr() != null ? m.manifests().flannel().podCidr() : "10.244.0.0/16";
                write(staging.resolve("manifests/flannel.yaml"), FlannelManifest.render(podCidr,
                        FlannelManifest.FLANNEL_IMAGE, FlannelManifest.CNI_PLUGIN_IMAGE).getBytes(StandardCharsets.UTF_8));
            }
            for (Path f : agentFiles) {
                Path target = staging.resolve("agent").resolve(f.getFileName().toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
                Modes.set(target, 0644);
            }
            normalise(staging, FileTime.from(m.createdInstant()));
            if (Files.exists(out)) {
                Files.delete(out);
            }
            Files.move(staging, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return new StagedBundle(out, m.kubernetesVersion(), m.arch(), m.createdInstant(), staged);
        } finally {
            ImageFetcher.deleteTree(work);
        }
    }

    private void binary(AirgapManifest.Binary b, Path staging, Path downloads) throws IOException {
        if (b.path() != null) {
            Path target = StagingPaths.resolve(staging, b.path());
            fetch(b, target);
            Modes.set(target, b.modeBits());
            return;
        }
        Path archive = downloads.resolve(b.name() + ".download");
        fetch(b, archive);
        TarGzMembers.extract(archive, b.extract(), staging, b.name() + " (" + b.source() + ")");
        Files.delete(archive);
    }

    private void fetch(AirgapManifest.Binary b, Path target) throws IOException {
        if (b.file() != null) {
            LocalFile.copy(Path.of(b.file()), b.sha256(), target);
        } else {
            downloader.download(URI.create(b.url()), b.sha256(), target, progress);
        }
    }

    /** The agent bundle (kubestead-agent-*-linux-ARCH.tar.gz) and its SHA256SUMS from the agent build output. */
    static List<Path> agentFiles(Path dir, String arch) throws IOException {
        Path sums = dir.resolve("SHA256SUMS");
        List<Path> bundles = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().matches("kubestead-agent-.+-linux-" + arch + "\\.tar\\.gz"))
                        .sorted().forEach(bundles::add);
            }
        }
        if (bundles.size() != 1 || !Files.isRegularFile(sums)) {
            throw new SpecException("agent: " + dir + " must hold one kubestead-agent-*-linux-" + arch
                    + ".tar.gz and SHA256SUMS (found " + bundles.size() + "): build it with 'mvn -pl installer -am package'");
        }
        return List.of(bundles.get(0), sums);
    }

    private static void write(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(target.getParent());
        Files.write(target, bytes);
        Modes.set(target, 0644);
    }

    /** Directories 0755 and every mtime the build's fixed time, so two builds give identical trees. */
    private static void normalise(Path root, FileTime time) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (Files.isDirectory(p)) {
                    Modes.set(p, 0755);
                }
                Files.setLastModifiedTime(p, time);
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
