package io.kubestead.installer.airgap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A binary's local source (a manifest's {@code file:}): copied into a temp file beside the target while its SHA-256 is
 * computed, renamed into place only when the sum matches, like a download. Only a regular file is read (not a device
 * or FIFO, which could be endless).
 */
final class LocalFile {
    private LocalFile() {
    }

    static void copy(Path source, String expectedSha256, Path target) throws IOException {
        if (!Files.isRegularFile(source)) {
            throw new IOException(source + " is not a regular file: point file: at the built binary");
        }
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName() + "-", ".part");
        try {
            MessageDigest sha = Downloader.sha256();
            long size = Files.size(source);
            try (InputStream in = new DigestInputStream(Files.newInputStream(source), sha);
                 OutputStream out = Files.newOutputStream(tmp)) {
                // the size at the start bounds the copy: a file that grows meanwhile fails its checksum
                long copied = in.transferTo(new BoundedOutput(out, size, source));
                if (copied != size) {
                    throw new IOException(source + " changed while it was copied");
                }
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (!actual.equals(expectedSha256)) {
                throw new IOException("checksum mismatch for " + source + ": expected sha256 " + expectedSha256 + ", got "
                        + actual + " (the file was not kept; check the manifest's sha256 against the file)");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Refuses bytes beyond limit. */
    static final class BoundedOutput extends java.io.FilterOutputStream {
        private final long limit;
        private final Object what;
        private long written;

        BoundedOutput(OutputStream out, long limit, Object what) {
            super(out);
            this.limit = limit;
            this.what = what;
        }

        @Override
        public void write(int b) throws IOException {
            check(1);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check(len);
            out.write(b, off, len);
        }

        private void check(int n) throws IOException {
            written += n;
            if (written > limit) {
                throw new IOException(what + " is larger than " + limit + " bytes");
            }
        }
    }
}
