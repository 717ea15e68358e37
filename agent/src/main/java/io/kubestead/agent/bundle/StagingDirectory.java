package io.kubestead.agent.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Extraction beside the target: {@code .NAME.extract-XXXX/tree} is filled file by file (each written to
 * {@code partial} first, renamed into the tree once verified) and renamed onto the target only when the whole
 * bundle checked out. A previous extracted bundle at the target is replaced; any other existing content is refused,
 * so a mistyped target such as /usr cannot be swapped away.
 */
final class StagingDirectory implements EntrySink {
    private final Path target;
    private final Path root;
    private final Path tree;
    private final Path partial;
    /** 128 KiB: on this ext4 a 1 MiB write(2) cost ~10x the kernel time of 128 KiB ones (dd, bench/README.md). */
    private final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(DirectFileOutput.WRITE_BYTES);

    StagingDirectory(Path target) throws IOException {
        this.target = target.toAbsolutePath().normalize();
        Path parent = this.target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new BundleException("target " + target + ": its parent directory does not exist");
        }
        if (Files.exists(this.target, LinkOption.NOFOLLOW_LINKS) && !replaceable(this.target)) {
            throw new BundleException("target " + target
                    + " exists and is not an extracted bundle (no manifest.json): give a new or empty directory");
        }
        this.root = Files.createTempDirectory(parent, "." + this.target.getFileName() + ".extract-");
        this.tree = root.resolve("tree");
        this.partial = root.resolve("partial");
        Files.createDirectory(tree, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    private static boolean replaceable(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (Files.isRegularFile(dir.resolve(BundlePaths.MANIFEST), LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        }
    }

    @Override
    public void manifest(BundleManifest manifest, byte[] json, byte[] signature) throws IOException {
        // an earlier extracted bundle at the target still takes its space until the new one replaces it
        Optional<String> shortfall = BundleSpace.shortfall(root, target, manifest.totalBytes() + json.length);
        if (shortfall.isPresent()) {
            throw new BundleException(shortfall.get());
        }
        Files.write(tree.resolve(BundlePaths.MANIFEST), json);
        if (signature != null) {
            Files.write(tree.resolve(BundlePaths.SIGNATURE), signature);
        }
    }

    @Override
    public void directory(String path) throws IOException {
        Files.createDirectories(tree.resolve(path));
    }

    @Override
    public OutputStream open(String path) throws IOException {
        return new DirectFileOutput(partial, buffer);
    }

    @Override
    public void commit(String path, int mode) throws IOException {
        Path dest = tree.resolve(path);
        Files.createDirectories(dest.getParent());
        Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString(mode == 0755 ? "rwxr-xr-x" : "rw-r--r--"));
        if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(path);
        }
        Files.move(partial, dest, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void finish() throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(target, root.resolve("old"), StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tree, target, StandardCopyOption.ATOMIC_MOVE);
        delete(root);
    }

    @Override
    public void abort() {
        delete(root);
    }

    /** Removes a tree this class made (it holds no links, so walking it cannot leave it). */
    static void delete(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BundleException("cannot remove staging directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
