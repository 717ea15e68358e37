package io.kubestead.agent.spec;

import io.kubestead.agent.version.KubernetesVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The Kubernetes versions this release installs: each supported minor with the patch release it ships by default
 * (the air-gap bundles carry exactly these). A bare minor such as {@code 1.33} means that patch.
 */
public final class SupportedVersions {
    private final Properties patches = new Properties();
    private final KubernetesVersion defaultVersion;

    public SupportedVersions() {
        try (InputStream in = SupportedVersions.class.getResourceAsStream("kubernetes-versions.properties")) {
            patches.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        defaultVersion = KubernetesVersion.parse(patches.getProperty("default"));
    }

    public KubernetesVersion defaultVersion() {
        return defaultVersion;
    }

    public String range() {
        return "1." + KubernetesVersion.MIN_MINOR + " to 1." + KubernetesVersion.MAX_MINOR;
    }

    /** Resolves {@code 1.33}, {@code 1.33.4} or {@code v1.33.4}; throws naming the supported range. */
    public KubernetesVersion resolve(String text) {
        KubernetesVersion v;
        try {
            v = KubernetesVersion.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a version like 1.33 or 1.33.4");
        }
        if (!v.supported()) {
            throw new IllegalArgumentException("version " + v.major() + "." + v.minor() + " is not supported");
        }
        boolean bareMinor = !text.strip().replaceFirst("^v", "").matches("\\d+\\.\\d+\\.\\d+");
        if (bareMinor) {
            String patch = patches.getProperty(v.major() + "." + v.minor());
            return patch == null ? v : KubernetesVersion.parse(patch);
        }
        return v;
    }
}
