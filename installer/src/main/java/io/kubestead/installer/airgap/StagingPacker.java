package io.kubestead.installer.airgap;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Packs a finished staging directory into the signed bundle file. The implementation is the agent's
 * {@code io.kubestead.agent.bundle.BundleWriter} (helper bundlefmt); until it is wired in, {@code installer airgap
 * build} stops after the staging directory and {@code installer bundle pack} packs it.
 */
public interface StagingPacker {
    /** Writes the bundle for staging into outDir and returns its path. */
    Path pack(StagedBundle staging, Path outDir) throws IOException;
}
