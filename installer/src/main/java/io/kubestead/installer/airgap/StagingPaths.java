package io.kubestead.installer.airgap;

import java.nio.file.Path;

/** Paths inside the staging directory: relative, no '..', no empty or '.' parts, '/' separated. */
final class StagingPaths {
    private StagingPaths() {
    }

    static boolean isSafe(String p) {
        if (p == null || p.isEmpty() || p.startsWith("/") || p.endsWith("/") || p.contains("\\")) {
            return false;
        }
        for (String part : p.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    static Path resolve(Path root, String p) {
        if (!isSafe(p)) {
            throw new IllegalArgumentException("unsafe path in bundle: " + p);
        }
        return root.resolve(p);
    }
}
