package io.kubestead.agent.airgap;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Verifies an air-gap bundle archive (signature, every file's SHA-256) and extracts it into a directory, leaving
 * nothing half-extracted on failure. The real implementation is the bundle package's reader; the integrator
 * supplies it to {@code BundlePhase}.
 */
@FunctionalInterface
public interface Extractor {
    void extract(Path archive, Path targetDir, Consumer<String> progress) throws Exception;
}
