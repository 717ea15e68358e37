package io.kubestead.installer.bundle;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/**
 * What goes into an agent bundle. {@code arch} is the bundle's architecture name (amd64, arm64);
 * use {@link #archOf(String)} to map a Java {@code os.arch}. {@code trustedKeyPem}, when not null, is the
 * air-gap bundle key the agent trusts without the word bundle-public-key ({@link TrustJar#canonicalKey}).
 */
public record BundleInputs(
        String version,
        String arch,
        Path agentJar,
        Path agentLibDir,
        Path runtimeDir,
        Path launcher,
        Path installScript,
        Instant mtime,
        byte[] trustedKeyPem) {

    /** Without a built-in trusted key. */
    public BundleInputs(String version, String arch, Path agentJar, Path agentLibDir, Path runtimeDir, Path launcher,
                        Path installScript, Instant mtime) {
        this(version, arch, agentJar, agentLibDir, runtimeDir, launcher, installScript, mtime, null);
    }

    /** kubestead-agent-VERSION-linux-ARCH.tar.gz */
    public String bundleFileName() {
        return "kubestead-agent-" + version + "-linux-" + arch + ".tar.gz";
    }

    /** Maps a JVM os.arch value to the bundle's arch name, or fails for an unsupported one. */
    public static String archOf(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> throw new IllegalArgumentException(
                    "unsupported build architecture " + osArch + ": the agent bundle is built for amd64 or arm64");
        };
    }
}
