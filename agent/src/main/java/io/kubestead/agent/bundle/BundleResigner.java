package io.kubestead.agent.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;

/**
 * Signs an existing bundle with another key: every file is checked against the manifest (the old signature is
 * not), then the bundle is packed again with the same compression and a new manifest.sig. Goes through an
 * extracted copy beside {@code out} (needs the bundle's unpacked size in free space there) so the result is exactly
 * what {@link BundleWriter} writes; {@code out} may be the bundle itself, replaced only at the end.
 */
public final class BundleResigner {
    private final BundleProgress progress;

    public BundleResigner(BundleProgress progress) {
        this.progress = progress;
    }

    public BundleManifest resign(Path bundle, PrivateKey key, Path out) {
        Compression compression = Compression.of(bundle);
        Path dir = out.toAbsolutePath().getParent();
        Path work;
        try {
            work = Files.createTempDirectory(dir, ".resign-");
        } catch (IOException e) {
            throw new BundleException("cannot create a work directory in " + dir + ": " + e.getMessage(), e);
        }
        try {
            Path tree = work.resolve("tree");
            BundleManifest manifest = new BundleReader(null, true, progress).extract(bundle, tree);
            new BundleWriter(compression).write(tree, manifest, key, out);
            return manifest;
        } finally {
            StagingDirectory.delete(work);
        }
    }
}
