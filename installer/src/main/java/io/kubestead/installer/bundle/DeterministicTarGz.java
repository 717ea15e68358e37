package io.kubestead.installer.bundle;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Writes a tar.gz that depends only on the entries' names, modes and bytes: entries sorted by
 * name, one fixed mtime, uid/gid 0 (root), and a gzip header without time or file name. Two
 * builds from the same inputs are byte-identical, so SHA256SUMS are reproducible.
 */
public final class DeterministicTarGz {

    private static final int GZIP_OS_UNIX = 3;
    private final Instant mtime;

    public DeterministicTarGz(Instant mtime) {
        this.mtime = mtime;
    }

    /** Writes the entries to {@code out} atomically (temp file in the same directory, then rename). */
    public void write(List<BundleEntry> entries, Path out) throws IOException {
        List<BundleEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(BundleEntry::name));
        Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".bundle-", ".tmp");
        try {
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                 GzipCompressorOutputStream gz = new GzipCompressorOutputStream(file, gzipParameters());
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                for (BundleEntry e : sorted) {
                    writeEntry(tar, e);
                }
                tar.finish();
            }
            Modes.set(tmp, 0644);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void writeEntry(TarArchiveOutputStream tar, BundleEntry e) throws IOException {
        TarArchiveEntry t = switch (e.kind()) {
            case DIRECTORY -> new TarArchiveEntry(e.name(), TarArchiveEntry.LF_DIR);
            case SYMLINK -> new TarArchiveEntry(e.name(), TarArchiveEntry.LF_SYMLINK);
            case FILE -> new TarArchiveEntry(e.name(), TarArchiveEntry.LF_NORMAL);
        };
        t.setModTime(Date.from(mtime));
        t.setIds(0, 0);
        t.setNames("root", "root");
        int type = switch (e.kind()) {
            case DIRECTORY -> 0040000;
            case SYMLINK -> 0120000;
            case FILE -> 0100000;
        };
        t.setMode(type | e.mode());
        if (e.kind() == BundleEntry.Kind.SYMLINK) {
            t.setLinkName(e.linkTarget());
        }
        if (e.kind() != BundleEntry.Kind.FILE) {
            tar.putArchiveEntry(t);
            tar.closeArchiveEntry();
            return;
        }
        if (e.source() != null) {
            t.setSize(Files.size(e.source()));
            tar.putArchiveEntry(t);
            Files.copy(e.source(), tar);
        } else {
            t.setSize(e.content().length);
            tar.putArchiveEntry(t);
            tar.write(e.content());
        }
        tar.closeArchiveEntry();
    }

    private static GzipParameters gzipParameters() {
        GzipParameters p = new GzipParameters();
        p.setCompressionLevel(Deflater.BEST_COMPRESSION);
        p.setModificationTime(0);
        p.setOperatingSystem(GZIP_OS_UNIX);
        return p;
    }
}
