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

    /**
     * Resolves {@code 1.33}, {@code 1.33.4} or {@code v1.33.4} to a release this agent installs: a supported minor,
     * and no patch above the one this release ships for it (a later patch is not known to exist); throws naming why.
     */
    public KubernetesVersion resolve(String text) {
        KubernetesVersion v = resolveAnyPatch(text);
        KubernetesVersion shipped = shipped(v);
        if (v.compareTo(shipped) > 0) {
            throw new IllegalArgumentException("Kubernetes " + v + " is not a release this agent knows: the newest "
                    + v.major() + "." + v.minor() + " patch it installs is " + shipped + " (give 1." + v.minor()
                    + " for it, or an agent release that knows " + v + ")");
        }
        return v;
    }

    /**
     * As {@link #resolve}, but any patch of a supported minor: for air-gapped installs, where the bundle's version
     * rules (see {@link BundleVersion#choose}) and a join command repeats the version of the masters' bundle.
     */
    public KubernetesVersion resolveAnyPatch(String text) {
        KubernetesVersion v;
        try {
            v = KubernetesVersion.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Shown.quoted(text) + " is not a version like 1.33 or 1.33.4");
        }
        if (!v.supported()) {
            throw new IllegalArgumentException("version " + v.major() + "." + v.minor() + " is not supported");
        }
        boolean bareMinor = !text.strip().replaceFirst("^v", "").matches("\\d+\\.\\d+\\.\\d+");
        return bareMinor ? shipped(v) : v;
    }

    /** The patch this release ships for {@code v}'s minor. */
    private KubernetesVersion shipped(KubernetesVersion v) {
        String patch = patches.getProperty(v.major() + "." + v.minor());
        if (patch == null) {
            throw new IllegalStateException("kubernetes-versions.properties has no patch for " + v.major() + "." + v.minor());
        }
        return KubernetesVersion.parse(patch);
    }
}
