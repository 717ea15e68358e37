package io.kubestead.agent.bundle;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/** How the bundle's tar is compressed; the reader tells by the magic bytes, not the file name. */
public enum Compression {
    ZSTD(".tar.zst"),
    GZIP(".tar.gz"),
    /** Plain tar: read for completeness, never written by the installer. */
    NONE(".tar");

    /** Level 9: near zstd's best ratio on binaries while packing a GiB in tens of seconds. */
    static final int ZSTD_LEVEL = 9;
    private static final int GZIP_OS_UNIX = 3;
    /**
     * The largest zstd window a reader accepts: 16 MiB, room for any level up to 19 (level 9 uses 4 MiB). zstd's own
     * default lets a frame claim 128 MiB of native memory, which a hostile bundle would get before its signature.
     */
    static final int ZSTD_WINDOW_LOG_MAX = 24;

    private final String extension;

    Compression(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }

    /** Looks at the first bytes (mark/reset) to tell zstd, gzip and plain tar apart. */
    static Compression detect(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        return NONE;
    }

    /** The compression of an existing bundle file. */
    public static Compression of(java.nio.file.Path bundle) {
        try (BufferedInputStream in = new BufferedInputStream(java.nio.file.Files.newInputStream(bundle), 16)) {
            return detect(in);
        } catch (IOException e) {
            throw new BundleException("cannot read bundle " + bundle + ": " + e.getMessage(), e);
        }
    }

    InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case ZSTD -> new ZstdInputStreamNoFinalizer(in).setLongMax(ZSTD_WINDOW_LOG_MAX);
            case GZIP -> new GZIPInputStream(in, 1 << 16);
            case NONE -> in;
        };
    }

    /** Deterministic: single-threaded zstd with a checksum; gzip without time or name in its header. */
    OutputStream compress(OutputStream out) throws IOException {
        switch (this) {
            case ZSTD -> {
                ZstdOutputStreamNoFinalizer z = new ZstdOutputStreamNoFinalizer(out, ZSTD_LEVEL);
                z.setChecksum(true);
                return z;
            }
            case GZIP -> {
                GzipParameters p = new GzipParameters();
                p.setCompressionLevel(6);
                p.setModificationTime(0);
                p.setOperatingSystem(GZIP_OS_UNIX);
                return new GzipCompressorOutputStream(out, p);
            }
            default -> {
                return out;
            }
        }
    }
}
