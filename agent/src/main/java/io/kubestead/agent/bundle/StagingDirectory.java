package io.kubestead.agent.bundle;

import io.kubestead.agent.spec.SpecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Extraction beside the target: {@code .NAME.extract-DIGITS/tree} is filled file by file (each written to
 * {@code partial} first, renamed into the tree once verified) and renamed onto the target only when the whole
 * bundle checked out. The tree gets {@code .kubestead-extracted}, the SHA-256 of its manifest.json in sha256sum's
 * format: only a directory carrying that marker (or an empty one) is ever replaced, so a mistyped target such as
 * /usr or a user's directory that happens to hold a manifest.json is refused, never swapped away.
 * <p>
 * The staging directory goes on every way out this process can see: a refusal or any exception, and a shutdown
 * hook for SIGTERM and SIGINT. A kill -9 or a power cut leaves it; it holds a lock file, locked while a run uses it,
 * so the next run beside the same target removes the unlocked ones.
 */
final class StagingDirectory implements EntrySink {
    private static final String LOCK = "lock";
    private static final String TREE = "tree";
    /** What a staging directory of this class holds; anything else in it means it is not one. */
    private static final Set<String> PARTS = Set.of(LOCK, TREE, "partial", "old");
    private static final int MARKER_BYTES = 64 + 2 + BundlePaths.MANIFEST.length() + 1;

    private final Path target;
    private final Path root;
    private final Path tree;
    private final Path partial;
    private final FileChannel lock;
    private final Thread onExit = new Thread(this::abort, "kubestead-extract-cleanup");
    /** 128 KiB: on this ext4 a 1 MiB write(2) cost ~10x the kernel time of 128 KiB ones (dd, bench/README.md). */
    private final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(DirectFileOutput.WRITE_BYTES);
    /** Finished or aborted: nothing more is written. Guarded by this. */
    private boolean closed;

    StagingDirectory(Path target) throws IOException {
        this.target = target.toAbsolutePath().normalize();
        Path parent = this.target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new BundleException("target " + target + ": its parent directory does not exist");
        }
        refuseUnlessReplaceable(target, this.target);
        String prefix = "." + this.target.getFileName() + ".extract-";
        removeStale(parent, prefix);
        this.root = Files.createTempDirectory(parent, prefix);
        FileChannel locked = null;
        try {
            // created and locked before the tree, so a run that finds a tree without a lock knows it is no one's
            locked = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            if (locked.tryLock() == null) {
                throw new IOException("cannot lock " + root.resolve(LOCK));
            }
            this.tree = root.resolve(TREE);
            this.partial = root.resolve("partial");
            Files.createDirectory(tree, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException | RuntimeException e) {
            if (locked != null) {
                locked.close();
            }
            deleteQuietly(root);
            throw e;
        }
        this.lock = locked;
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /** A missing target, an empty directory or an earlier extraction (its marker matches its manifest.json). */
    private static void refuseUnlessReplaceable(Path given, Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new SpecException("target " + given + " exists and is not a directory; give a new or empty directory");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            if (!entries.iterator().hasNext()) {
                return;
            }
        }
        Optional<String> marker = small(dir.resolve(BundlePaths.MARKER), MARKER_BYTES);
        Path manifest = dir.resolve(BundlePaths.MANIFEST);
        if (marker.isEmpty() || !Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)
                || Files.size(manifest) > BundleManifest.MAX_BYTES
                || !marker.get().equals(markerLine(Files.readAllBytes(manifest)))) {
            throw new SpecException("target " + given + " is not empty and is not a bundle extracted earlier (no "
                    + BundlePaths.MARKER + " matching its manifest.json); give a new or empty directory");
        }
    }

    /** A regular file's text if it is at most {@code max} bytes, else empty. */
    private static Optional<String> small(Path file, int max) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(max + 1);
            return bytes.length > max ? Optional.empty() : Optional.of(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    /** The marker's one line: manifest.json's SHA-256 as sha256sum prints it. */
    static String markerLine(byte[] manifestJson) {
        MessageDigest sha = BundleWriter.sha256();
        return HexFormat.of().formatHex(sha.digest(manifestJson)) + "  " + BundlePaths.MANIFEST + "\n";
    }

    /**
     * Removes the staging directories beside the target that runs killed outright left: named as this class names
     * them, holding nothing but what it puts there, and with their lock free (or, from before the lock, a tree and
     * no lock). Best effort: one that cannot be removed now is tried again by the next run.
     */
    private static void removeStale(Path parent, String prefix) {
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, p -> ours(p, prefix))) {
            entries.forEach(candidates::add);
        } catch (IOException | RuntimeException e) {
            return;
        }
        for (Path dir : candidates) {
            try {
                removeIfStale(dir);
            } catch (IOException | RuntimeException e) {
                // in use, or not removable now: left for a later run
            }
        }
    }

    private static boolean ours(Path p, String prefix) {
        String name = p.getFileName().toString();
        return name.startsWith(prefix) && name.length() > prefix.length()
                && name.substring(prefix.length()).chars().allMatch(c -> c >= '0' && c <= '9')
                && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static void removeIfStale(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                names.add(p.getFileName().toString());
                if (names.size() > PARTS.size()) {
                    return;
                }
            }
        }
        if (!PARTS.containsAll(names)) {
            return;
        }
        Path lockFile = dir.resolve(LOCK);
        if (!names.contains(LOCK)) {
            if (names.contains(TREE)) {
                delete(dir);
            }
            return;
        }
        if (!Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock held;
            try {
                held = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return;
            }
            if (held != null) {
                delete(dir);
            }
        }
    }

    @Override
    public synchronized void manifest(BundleManifest manifest, byte[] json, byte[] signature) throws IOException {
        requireOpen();
        // an earlier extracted bundle at the target still takes its space until the new one replaces it
        Optional<String> shortfall = BundleSpace.shortfall(root, target, manifest.totalBytes() + json.length);
        if (shortfall.isPresent()) {
            throw new BundleException(shortfall.get());
        }
        Files.write(tree.resolve(BundlePaths.MANIFEST), json);
        if (signature != null) {
            Files.write(tree.resolve(BundlePaths.SIGNATURE), signature);
        }
        Files.writeString(tree.resolve(BundlePaths.MARKER), markerLine(json), StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void directory(String path) throws IOException {
        requireOpen();
        Files.createDirectories(tree.resolve(path));
    }

    @Override
    public synchronized OutputStream open(String path) throws IOException {
        requireOpen();
        return new DirectFileOutput(partial, buffer);
    }

    @Override
    public synchronized void commit(String path, int mode) throws IOException {
        requireOpen();
        Path dest = tree.resolve(path);
        Files.createDirectories(dest.getParent());
        Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString(mode == 0755 ? "rwxr-xr-x" : "rw-r--r--"));
        if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(path);
        }
        Files.move(partial, dest, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Refuses any write once finished or aborted (the shutdown hook may have removed everything). */
    private void requireOpen() {
        if (closed) {
            throw new BundleException("extraction stopped: the agent is exiting");
        }
    }

    @Override
    public synchronized void finish() throws IOException {
        requireOpen();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(target, root.resolve("old"), StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tree, target, StandardCopyOption.ATOMIC_MOVE);
        close();
    }

    /** Removes everything written; also what the shutdown hook runs. Never throws: a later run removes leftovers. */
    @Override
    public synchronized void abort() {
        if (!closed) {
            close();
        }
    }

    private void close() {
        closed = true;
        deleteQuietly(root);
        try {
            lock.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
        if (Thread.currentThread() != onExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException e) {
                // already shutting down: the hook finds this closed and does nothing
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            delete(dir);
        } catch (BundleException e) {
            // left for the next run beside the same target
        }
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
