package io.kubestead.agent.bundle;

/** The one check for a path inside a bundle: relative, forward slashes, no empty, "." or ".." segments. */
final class BundlePaths {
    static final String MANIFEST = "manifest.json";
    static final String SIGNATURE = "manifest.sig";
    /** Written by extraction beside manifest.json: its SHA-256, so only an extracted bundle is ever replaced. */
    static final String MARKER = ".kubestead-extracted";
    /** Top-level names a bundle's files may not take (compared in lower case). */
    static final java.util.Set<String> RESERVED = java.util.Set.of(MANIFEST, SIGNATURE, MARKER);
    private static final int MAX_LENGTH = 4096;

    private BundlePaths() {
    }

    /** Why {@code path} is not acceptable as a file path in a bundle, or null if it is. */
    static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "empty path";
        }
        if (path.length() > MAX_LENGTH) {
            return "path longer than " + MAX_LENGTH + " characters";
        }
        if (path.startsWith("/")) {
            return "absolute path";
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return "control character or backslash in path";
            }
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                return "path leaves the target directory (..)";
            }
            if (segment.isEmpty() || segment.equals(".")) {
                return "empty or '.' path segment";
            }
        }
        return null;
    }

    /** Printable form of an untrusted name for an error message. */
    static String quote(String path) {
        StringBuilder b = new StringBuilder("'");
        int n = Math.min(path.length(), 200);
        for (int i = 0; i < n; i++) {
            char c = path.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.append(path.length() > n ? "...'" : "'").toString();
    }
}
