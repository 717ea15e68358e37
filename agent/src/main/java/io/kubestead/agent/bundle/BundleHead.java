package io.kubestead.agent.bundle;

import java.io.IOException;
import java.security.PublicKey;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The head of every bundle: manifest.json, then manifest.sig if signed (the writer puts them first), and the entry
 * that follows them. Read the same way by the full pass ({@link BundleReader}) and by {@link SignedManifest}, which
 * stops here.
 */
record BundleHead(byte[] json, byte[] signature, TarArchiveEntry following) {

    static BundleHead read(TarArchiveInputStream tar) throws IOException {
        TarArchiveEntry first = next(tar, null);
        if (first == null || !first.getName().equals(BundlePaths.MANIFEST) || !regular(first)) {
            throw new BundleException("the first entry is not manifest.json (not a Kubestead bundle?)");
        }
        byte[] json = small(tar, first, BundleManifest.MAX_BYTES);
        TarArchiveEntry entry = next(tar, BundlePaths.MANIFEST);
        byte[] signature = null;
        if (entry != null && entry.getName().equals(BundlePaths.SIGNATURE) && regular(entry)) {
            signature = small(tar, entry, BundleSignature.SIGNATURE_BYTES);
            entry = next(tar, BundlePaths.SIGNATURE);
        }
        return new BundleHead(json, signature, entry);
    }

    /** The manifest, once its signature verifies with {@code trustedKey} (not checked with {@code skipSignature}). */
    BundleManifest verifiedManifest(PublicKey trustedKey, boolean skipSignature) {
        if (!skipSignature) {
            if (signature == null) {
                throw new BundleException("unsigned (no manifest.sig after manifest.json); sign it with 'installer sign'"
                        + " or accept it with insecure-skip-bundle-signature");
            }
            if (!BundleSignature.verify(trustedKey, json, signature)) {
                throw new BundleException("manifest.sig does not verify with the trusted key (wrong key or altered manifest)");
            }
        }
        return BundleManifest.parse(json);
    }

    /** A regular file: not a link, device, directory or sparse file. */
    static boolean regular(TarArchiveEntry e) {
        byte flag = e.getLinkFlag();
        return (flag == TarArchiveEntry.LF_NORMAL || flag == TarArchiveEntry.LF_OLDNORM
                || flag == TarArchiveEntry.LF_CONTIG) && !e.isSparse();
    }

    /** The next entry; {@code after} names the one before it, null at the start. */
    static TarArchiveEntry next(TarArchiveInputStream tar, String after) {
        try {
            return tar.getNextEntry();
        } catch (IOException e) {
            String where = after == null ? "at its start" : "after entry " + BundlePaths.quote(after);
            throw new BundleException("archive is truncated or corrupt " + where + " (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] small(TarArchiveInputStream tar, TarArchiveEntry entry, int max) throws IOException {
        if (entry.getSize() > max) {
            throw new BundleException("entry '" + entry.getName() + "' is larger than " + max + " bytes");
        }
        // exactly the size checked above: readNBytes(n) would collect chunks and copy them, twice the memory
        byte[] bytes = new byte[(int) entry.getSize()];
        int n = tar.readNBytes(bytes, 0, bytes.length);
        if (n != bytes.length) {
            throw new BundleException("entry '" + entry.getName() + "' is truncated");
        }
        return bytes;
    }
}
