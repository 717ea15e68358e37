package io.kubestead.installer.airgap;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Packs a finished staging directory into the signed bundle file: {@code installer airgap build --signing-key}
 * passes one backed by the agent's {@code io.kubestead.agent.bundle.BundleWriter}; tests pass their own.
 */
public interface StagingPacker {
    /** Writes the bundle for staging into outDir and returns its path. */
    Path pack(StagedBundle staging, Path outDir) throws IOException;
}
