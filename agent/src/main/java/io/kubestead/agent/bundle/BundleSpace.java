package io.kubestead.agent.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a file system can hold a whole bundle before the first byte is written: failing half-way through a
 * gigabyte on a full /var/lib is the worst time to find out. Used by extraction and by the fetch from a master.
 */
public final class BundleSpace {
    /** Room left for everything else on that file system (logs, etcd, the kubelet) while the bundle lands. */
    public static final long MARGIN = 64L << 20;

    private BundleSpace() {
    }

    /** The one-line problem when {@code dir}'s file system has less than {@code bytes} plus the margin free. */
    public static Optional<String> shortfall(Path dir, Path target, long bytes) throws IOException {
        long need = bytes + MARGIN;
        long free = Files.getFileStore(dir).getUsableSpace();
        if (free >= need) {
            return Optional.empty();
        }
        return Optional.of(String.format("not enough space for %s: the bundle needs %s, the file system holding it has"
                + " %s free; free some space or grow the disk", target, mib(need), mib(free)));
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
