package io.kubestead.installer.bundle;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One entry of the agent bundle tar: a directory, a file (from disk or from bytes), or a symlink.
 * Names are relative to the install root (/opt/kubestead), without a leading "./".
 */
public record BundleEntry(String name, Kind kind, int mode, Path source, byte[] content, String linkTarget) {

    public enum Kind { DIRECTORY, FILE, SYMLINK }

    public BundleEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (name.isEmpty() || name.startsWith("/") || java.util.List.of(name.split("/")).contains("..")) {
            throw new IllegalArgumentException("bad bundle entry name: " + name);
        }
    }

    public static BundleEntry directory(String name) {
        return new BundleEntry(name.endsWith("/") ? name : name + "/", Kind.DIRECTORY, 0755, null, null, null);
    }

    public static BundleEntry file(String name, int mode, Path source) {
        return new BundleEntry(name, Kind.FILE, mode, Objects.requireNonNull(source, "source"), null, null);
    }

    public static BundleEntry bytes(String name, int mode, byte[] content) {
        return new BundleEntry(name, Kind.FILE, mode, null, content.clone(), null);
    }

    public static BundleEntry symlink(String name, String target) {
        return new BundleEntry(name, Kind.SYMLINK, 0777, null, null, Objects.requireNonNull(target, "target"));
    }
}
