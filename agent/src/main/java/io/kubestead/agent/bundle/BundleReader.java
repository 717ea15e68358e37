package io.kubestead.agent.bundle;

import io.kubestead.agent.bundle.BundleManifest.FileEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Verifies (and optionally extracts) a bundle in one streaming pass with fixed buffers: the signed manifest first,
 * then each entry is checked against it (listed, not repeated, a plain relative path, a regular file of the listed
 * size and SHA-256) while it streams to disk. Extraction goes to a staging directory beside the target that
 * replaces the target only when everything checked out, so a refused bundle leaves nothing behind.
 */
public final class BundleReader {
    private final PublicKey trustedKey;
    private final boolean skipSignature;
    private final BundleProgress progress;

    /**
     * @param trustedKey    the key manifest.sig must verify with; may be null only with {@code skipSignature}
     * @param skipSignature accept unsigned or wrongly signed bundles (insecure-skip-bundle-signature)
     */
    public BundleReader(PublicKey trustedKey, boolean skipSignature, BundleProgress progress) {
        if (trustedKey == null && !skipSignature) {
            throw new BundleException("no trusted bundle key: give bundle-public-key=FILE, or insecure-skip-bundle-signature");
        }
        this.trustedKey = trustedKey;
        this.skipSignature = skipSignature;
        this.progress = progress;
    }

    /** Checks the whole bundle without writing anything; returns its manifest. */
    public BundleManifest verify(Path bundle) {
        return read(bundle, EntrySink.DISCARD);
    }

    /** Verifies and extracts into {@code target} (created, or replacing an earlier extracted bundle there). */
    public BundleManifest extract(Path bundle, Path target) {
        if (!Files.isRegularFile(bundle)) {
            throw new BundleException("bundle " + bundle + " does not exist or is not a file");
        }
        StagingDirectory staging;
        try {
            staging = new StagingDirectory(target);
        } catch (IOException e) {
            throw new BundleException("cannot create a staging directory beside " + target + ": " + e.getMessage(), e);
        }
        return read(bundle, staging);
    }

    private BundleManifest read(Path bundle, EntrySink sink) {
        String name = bundle.getFileName().toString();
        boolean finished = false;
        try (TarArchiveInputStream tar = BoundedTarInputStream.open(bundle);
             HashingWriter pipe = new HashingWriter()) {
            BundleManifest manifest = new Pass(tar, sink, pipe).run();
            sink.finish();
            finished = true;
            return manifest;
        } catch (BundleException e) {
            throw new BundleException("bundle " + name + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new BundleException("bundle " + name + ": cannot read (truncated or corrupt?): " + e.getMessage(), e);
        } finally {
            // also on an Error (out of memory, a stack overflow): nothing half-extracted stays behind
            if (!finished) {
                sink.abort();
            }
        }
    }

    /** The state of one read: what the manifest lists and what has been seen. */
    private final class Pass {
        private final TarArchiveInputStream tar;
        private final EntrySink sink;
        private final HashingWriter pipe;
        private final Set<String> seen = new HashSet<>();
        private Map<String, FileEntry> listed;
        private Set<String> directories;
        private long done;
        private long total;

        Pass(TarArchiveInputStream tar, EntrySink sink, HashingWriter pipe) {
            this.tar = tar;
            this.sink = sink;
            this.pipe = pipe;
        }

        BundleManifest run() throws IOException {
            BundleHead head = BundleHead.read(tar);
            BundleManifest manifest = head.verifiedManifest(trustedKey, skipSignature);
            TarArchiveEntry entry = head.following();
            index(manifest);
            sink.manifest(manifest, head.json(), head.signature());
            for (; entry != null; entry = next(entry.getName())) {
                accept(entry);
            }
            for (FileEntry f : manifest.files()) {
                if (!seen.contains(f.path())) {
                    throw new BundleException("entry '" + f.path() + "' is listed in the manifest but missing from the archive"
                            + " (truncated or incomplete bundle)");
                }
            }
            return manifest;
        }

        private void index(BundleManifest manifest) {
            listed = new HashMap<>();
            directories = new HashSet<>();
            for (FileEntry f : manifest.files()) {
                listed.put(f.path(), f);
                for (int i = f.path().indexOf('/'); i > 0; i = f.path().indexOf('/', i + 1)) {
                    directories.add(f.path().substring(0, i));
                }
            }
            total = manifest.totalBytes();
            progress.update(0, total);
        }

        private void accept(TarArchiveEntry entry) throws IOException {
            String raw = entry.getName();
            String path = entry.isDirectory() && raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
            String problem = BundlePaths.problem(path);
            if (problem != null) {
                throw new BundleException("entry " + BundlePaths.quote(raw) + ": " + problem);
            }
            String quoted = BundlePaths.quote(raw);
            if (entry.isSymbolicLink() || entry.isLink()) {
                throw new BundleException("entry " + quoted + " is a " + (entry.isLink() ? "hard" : "symbolic")
                        + " link to " + BundlePaths.quote(entry.getLinkName()) + "; bundles may not hold links");
            }
            if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                throw new BundleException("entry " + quoted + " is a device file or FIFO; bundles hold regular files only");
            }
            if (entry.isDirectory()) {
                if (!directories.contains(path)) {
                    throw new BundleException("entry " + quoted + " is a directory no manifest file is in");
                }
                sink.directory(path);
                return;
            }
            if (!regular(entry)) {
                throw new BundleException("entry " + quoted + " has unsupported tar type '" + (char) entry.getLinkFlag() + "'");
            }
            FileEntry listedEntry = listed.get(path);
            if (listedEntry == null) {
                throw new BundleException("entry " + quoted + " is not in the manifest");
            }
            if (!seen.add(path)) {
                throw new BundleException("entry " + quoted + " appears twice in the archive");
            }
            if (entry.getSize() > listedEntry.size()) {
                throw new BundleException("entry " + quoted + " is larger (" + entry.getSize() + " bytes) than the manifest says ("
                        + listedEntry.size() + ")");
            }
            if (entry.getSize() < listedEntry.size()) {
                throw new BundleException("entry " + quoted + " is smaller (" + entry.getSize() + " bytes) than the manifest says ("
                        + listedEntry.size() + ")");
            }
            copy(entry, listedEntry, quoted);
            sink.commit(path, (entry.getMode() & 0100) != 0 ? 0755 : 0644);
        }

        private void copy(TarArchiveEntry entry, FileEntry listedEntry, String quoted) throws IOException {
            MessageDigest sha = BundleWriter.sha256();
            long size = 0;
            OutputStream out = sink.open(listedEntry.path());
            boolean finished = false;
            try {
                while (true) {
                    byte[] chunk = pipe.take();
                    int n = fill(chunk, quoted);
                    if (n <= 0) {
                        pipe.giveBack(chunk);
                        break;
                    }
                    size += n;
                    if (size > listedEntry.size()) {
                        pipe.giveBack(chunk);
                        throw new BundleException("entry " + quoted + " is larger than the manifest says (" + listedEntry.size() + ")");
                    }
                    pipe.submit(chunk, n, out, sha);
                    done += n;
                    progress.update(done, total);
                }
                pipe.finishFile(out);
                finished = true;
            } finally {
                if (!finished) {
                    pipe.close();
                    out.close();
                }
            }
            if (size != listedEntry.size()) {
                throw new BundleException("entry " + quoted + " ends after " + size + " of " + listedEntry.size()
                        + " bytes (truncated archive)");
            }
            if (!java.util.HexFormat.of().formatHex(sha.digest()).equals(listedEntry.sha256())) {
                throw new BundleException("entry " + quoted + " does not match its SHA-256 in the manifest (altered or corrupt)");
            }
        }

        /** Fills {@code chunk} as far as the entry goes; 0 at its end. */
        private int fill(byte[] chunk, String quoted) {
            int filled = 0;
            try {
                for (int n; filled < chunk.length && (n = tar.read(chunk, filled, chunk.length - filled)) > 0; ) {
                    filled += n;
                }
                return filled;
            } catch (IOException e) {
                throw new BundleException("entry " + quoted + ": archive is truncated or corrupt (" + e.getMessage() + ")", e);
            }
        }

        private TarArchiveEntry next(String after) {
            return BundleHead.next(tar, after);
        }
    }

    private static boolean regular(TarArchiveEntry e) {
        return BundleHead.regular(e);
    }
}
