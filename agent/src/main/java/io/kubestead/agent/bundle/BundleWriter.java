package io.kubestead.agent.bundle;

import io.kubestead.agent.bundle.BundleManifest.FileEntry;
import io.kubestead.agent.bundle.BundleManifest.ImageEntry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Packs a staging directory into a bundle: manifest.json, manifest.sig, then every file in sorted path order,
 * all with the manifest's created time, uid/gid 0 and mode 0755 or 0644 (as the staged file is executable or not),
 * so the same inputs give a byte-identical bundle. Top-level manifest.json, manifest.sig and .kubestead-extracted in
 * the staging directory (an extracted bundle) are not packed as files.
 */
public final class BundleWriter {
    /** What the manifest says besides the files. */
    public record Metadata(String kubernetesVersion, String arch, String created, List<ImageEntry> images) {
        public static Metadata of(BundleManifest m) {
            return new Metadata(m.kubernetesVersion(), m.arch(), m.created(), m.images());
        }
    }

    private static final int BUFFER = 1 << 20;
    private final Compression compression;
    private final BundleProgress progress;

    public BundleWriter(Compression compression) {
        this(compression, BundleProgress.NONE);
    }

    /** With {@code progress} told how many of the manifest's file bytes are packed so far (from the writing thread). */
    public BundleWriter(Compression compression, BundleProgress progress) {
        this.compression = compression;
        this.progress = progress;
    }

    /** Hashes every file under {@code staging} and returns the manifest for them. */
    public static BundleManifest scan(Path staging, Metadata metadata) {
        List<FileEntry> files = new ArrayList<>();
        byte[] buffer = new byte[BUFFER];
        for (String path : stagedPaths(staging)) {
            Path file = staging.resolve(path);
            MessageDigest sha = sha256();
            long size = 0;
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buffer)) > 0; size += n) {
                    sha.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new BundleException("cannot read staged file " + file + ": " + e.getMessage(), e);
            }
            files.add(new FileEntry(path, size, HexFormat.of().formatHex(sha.digest())));
        }
        return new BundleManifest(BundleManifest.FORMAT, metadata.kubernetesVersion(), metadata.arch(), metadata.created(),
                files, metadata.images());
    }

    /** Scans {@code staging}, then writes the bundle to {@code out}; returns the manifest written. */
    public BundleManifest write(Path staging, Metadata metadata, PrivateKey key, Path out) {
        BundleManifest manifest = scan(staging, metadata);
        write(staging, manifest, key, out);
        return manifest;
    }

    /**
     * Writes the bundle for {@code manifest}, whose files must be under {@code staging} with the listed sizes and
     * hashes (checked again while packing). {@code key} null writes an unsigned bundle (no manifest.sig), which
     * agents refuse unless told to skip the signature. Written to a temp file beside {@code out}, then renamed.
     */
    public void write(Path staging, BundleManifest manifest, PrivateKey key, Path out) {
        byte[] json = manifest.toJson();
        if (json.length > BundleManifest.MAX_BYTES) {
            throw new BundleException("the manifest for " + manifest.files().size() + " files is " + json.length
                    + " bytes, more than readers accept (" + BundleManifest.MAX_BYTES + "); pack fewer files");
        }
        Date mtime = Date.from(manifest.createdInstant());
        Path dir = out.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + out.getFileName() + ".", ".tmp");
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), BUFFER);
                 OutputStream compressed = compression.compress(file);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed, "UTF-8")) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                tar.setAddPaxHeadersForNonAsciiNames(true);
                putBytes(tar, BundlePaths.MANIFEST, json, mtime);
                if (key != null) {
                    putBytes(tar, BundlePaths.SIGNATURE, BundleSignature.sign(key, json), mtime);
                }
                byte[] buffer = new byte[BUFFER];
                long total = manifest.totalBytes();
                long[] done = {0};
                progress.update(0, total);
                for (FileEntry f : manifest.files()) {
                    putFile(tar, staging, f, mtime, buffer, n -> progress.update(done[0] += n, total));
                }
                tar.finish();
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new BundleException("cannot write bundle " + out + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temp file is hidden and named after the bundle
                }
            }
        }
    }

    private static void putBytes(TarArchiveOutputStream tar, String name, byte[] bytes, Date mtime) throws IOException {
        tar.putArchiveEntry(entry(name, bytes.length, 0644, mtime));
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static void putFile(TarArchiveOutputStream tar, Path staging, FileEntry f, Date mtime, byte[] buffer,
                                java.util.function.LongConsumer packed) throws IOException {
        Path file = staging.resolve(f.path());
        if (Files.isSymbolicLink(file) || !Files.isRegularFile(file)) {
            throw new BundleException("staged file '" + f.path() + "' is missing or not a regular file");
        }
        boolean executable = Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_EXECUTE);
        tar.putArchiveEntry(entry(f.path(), f.size(), executable ? 0755 : 0644, mtime));
        MessageDigest sha = sha256();
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; size += n) {
                if (size + n > f.size()) {
                    throw new BundleException("staged file '" + f.path() + "' is larger than the manifest's " + f.size() + " bytes");
                }
                sha.update(buffer, 0, n);
                tar.write(buffer, 0, n);
                packed.accept(n);
            }
        }
        String hex = HexFormat.of().formatHex(sha.digest());
        if (size != f.size() || !hex.equals(f.sha256())) {
            throw new BundleException("staged file '" + f.path() + "' does not match the manifest (size or SHA-256 changed)");
        }
        tar.closeArchiveEntry();
    }

    private static TarArchiveEntry entry(String name, long size, int mode, Date mtime) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_NORMAL);
        e.setModTime(mtime);
        e.setIds(0, 0);
        e.setNames("root", "root");
        e.setMode(0100000 | mode);
        e.setSize(size);
        return e;
    }

    /** Relative paths of the regular files under {@code staging}, sorted; links and special files are refused. */
    static List<String> stagedPaths(Path staging) {
        if (!Files.isDirectory(staging)) {
            throw new BundleException("staging directory " + staging + " does not exist");
        }
        List<String> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(staging)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String rel = staging.relativize(p).toString();
                if (p.equals(staging) || Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (!Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new BundleException("staged '" + rel + "' is a link or special file; bundles hold regular files only");
                }
                if (!rel.equals(BundlePaths.MANIFEST) && !rel.equals(BundlePaths.SIGNATURE) && !rel.equals(BundlePaths.MARKER)) {
                    paths.add(rel);
                }
            }
        } catch (IOException e) {
            throw new BundleException("cannot list staging directory " + staging + ": " + e.getMessage(), e);
        }
        paths.sort(null);
        return paths;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
