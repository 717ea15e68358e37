package io.kubestead.agent.bundle;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * commons-compress's tar reader with every header bounded before it parses one. commons-compress 1.27 reads a PAX
 * extended header or a GNU long name wholly into memory, whatever size its header claims, and a PAX 1.0 sparse map or
 * old GNU sparse extension records as long as they go: a few hundred KB of zstd can claim gigabytes before the
 * signature is ever checked. So each 512-byte header record is looked at here, as commons-compress reads it and
 * before it acts on it: PAX ('x', 'X') and GNU long-name/long-link ('L', 'K') headers may hold at most
 * {@link #MAX_HEADER_BYTES}, at most {@link #MAX_HEADERS_PER_ENTRY} of them may precede one entry, and global PAX
 * headers ('g'), GNU sparse entries ('S') and PAX sparse keys (GNU.sparse.*) are refused outright: the bundle writer
 * never writes them, and the reader refuses sparse files anyway.
 */
public final class BoundedTarInputStream extends TarArchiveInputStream {
    /** A name is at most 4096 characters (BundlePaths), up to 4 bytes each in UTF-8, plus the other PAX records. */
    static final int MAX_HEADER_BYTES = 64 << 10;
    /** PAX, long name and long link name: what GNU tar or commons-compress may write before one entry. */
    static final int MAX_HEADERS_PER_ENTRY = 3;
    private static final int SIZE_OFFSET = 124;
    private static final int SIZE_LENGTH = 12;
    private static final int TYPE_OFFSET = 156;
    private static final byte[] SPARSE_KEY = "GNU.sparse".getBytes(StandardCharsets.US_ASCII);

    private final PushbackInputStream raw;
    private long headers;
    private int run;

    private BoundedTarInputStream(PushbackInputStream raw) {
        super(raw, "UTF-8");
        this.raw = raw;
    }

    /** Reads the tar stream {@code in} (already decompressed). */
    public static BoundedTarInputStream over(InputStream in) {
        return new BoundedTarInputStream(new PushbackInputStream(in, MAX_HEADER_BYTES));
    }

    /** The bundle file's tar stream, decompressed as its magic bytes say; closing it closes the file. */
    static BoundedTarInputStream open(Path bundle) throws IOException {
        InputStream file = Files.newInputStream(bundle);
        try {
            BufferedInputStream buffered = new BufferedInputStream(file, 1 << 16);
            return over(Compression.detect(buffered).decompress(buffered));
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Every header record passes through here before commons-compress parses it (and the end-of-archive records). */
    @Override
    protected byte[] readRecord() throws IOException {
        byte[] record = super.readRecord();
        if (record != null && !isAtEOF() && !isEOFRecord(record)) {
            check(record);
        }
        return record;
    }

    private void check(byte[] header) throws IOException {
        headers++;
        byte type = header[TYPE_OFFSET];
        switch (type) {
            case 'g' -> throw refused("is a global PAX header, which bundles never hold");
            case 'S' -> throw refused("is a GNU sparse file; bundles hold regular files only");
            case 'x', 'X', 'L', 'K' -> {
                if (++run > MAX_HEADERS_PER_ENTRY) {
                    throw refused("is the " + run + "th extended header in a row; at most " + MAX_HEADERS_PER_ENTRY
                            + " may precede an entry");
                }
                long size = size(header);
                if (size < 0 || size > MAX_HEADER_BYTES) {
                    throw refused("announces " + size + " bytes of " + (type == 'L' || type == 'K' ? "GNU long name"
                            : "PAX attributes") + "; at most " + MAX_HEADER_BYTES + " are read");
                }
                if (type == 'x' || type == 'X') {
                    refuseSparseKeys((int) size);
                }
            }
            default -> run = 0;
        }
    }

    /** Peeks at the PAX records (bounded above) that commons-compress reads next, and puts them back. */
    private void refuseSparseKeys(int size) throws IOException {
        byte[] records = raw.readNBytes(size);
        raw.unread(records);
        if (indexOf(records, SPARSE_KEY) >= 0) {
            throw refused("carries GNU.sparse PAX attributes (a sparse file); bundles hold regular files only");
        }
    }

    private long size(byte[] header) {
        try {
            return TarUtils.parseOctalOrBinary(header, SIZE_OFFSET, SIZE_LENGTH);
        } catch (IllegalArgumentException e) {
            throw refused("has an unreadable size field");
        }
    }

    private BundleException refused(String what) {
        return new BundleException("tar header " + headers + " " + what + " (not a bundle the installer wrote)");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
