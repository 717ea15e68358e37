package io.kubestead.agent.version;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes release such as 1.33.4. Version-dependent behaviour (kubeadm API, certificate subjects, taints)
 * asks {@link #atLeast(int)} on the minor version.
 */
public record KubernetesVersion(int major, int minor, int patch) implements Comparable<KubernetesVersion> {
    private static final Pattern FORM = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** Lowest and highest minor versions this agent installs. */
    public static final int MIN_MINOR = 28;
    public static final int MAX_MINOR = 37;

    public KubernetesVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version parts are non-negative");
        }
    }

    /** Parses {@code 1.33.4}, {@code v1.33.4} or {@code 1.33} (patch -1 is not allowed: a bare minor means .0). */
    public static KubernetesVersion parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a version: " + text);
        }
        return new KubernetesVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    /** True for 1.N and later within major version 1. */
    public boolean atLeast(int minorOfOne) {
        return major > 1 || (major == 1 && minor >= minorOfOne);
    }

    public boolean supported() {
        return major == 1 && minor >= MIN_MINOR && minor <= MAX_MINOR;
    }

    /** {@code v1.33.4}, as kubeadm's kubernetesVersion wants it. */
    public String tag() {
        return "v" + this;
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }

    @Override
    public int compareTo(KubernetesVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }
}
