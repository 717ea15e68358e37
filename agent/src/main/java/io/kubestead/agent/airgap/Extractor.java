package io.kubestead.agent.airgap;

import io.kubestead.agent.progress.Meter;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Verifies an air-gap bundle archive (signature, every file's SHA-256) and extracts it into a directory, leaving
 * nothing half-extracted on failure. The real implementation is the bundle package's reader; the integrator
 * supplies it to {@code BundlePhase}.
 */
@FunctionalInterface
public interface Extractor {
    /** {@code messages} takes warnings and notes, {@code bytes} how many of the manifest's bytes are done. */
    void extract(Path archive, Path targetDir, Consumer<String> messages, Meter bytes) throws Exception;

    /** Checks what {@link #extract} will need besides the archive (the trusted key), reading only. */
    default void checkTrust(Path archive) {
    }
}
