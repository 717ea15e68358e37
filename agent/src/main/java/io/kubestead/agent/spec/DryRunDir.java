package io.kubestead.agent.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The directory a dry run writes under, from the word {@code dry-run[=DIR]}: resolved as the kernel would
 * (symlinks, {@code ..}, {@code //}), and refused before anything is written if it is {@code /} or holds files
 * that are not an earlier dry run's. A dry run marks its directory with {@link #MARKER} (install.sh does too), so
 * the same dry run can be run again into it.
 */
public final class DryRunDir {
    /** Written by every dry run into its directory. */
    public static final String MARKER = ".kubestead-dry-run";
    static final String DEFAULT = "kubestead-dry-run";

    private DryRunDir() {
    }

    /** The checked directory if the words ask for a dry run, else empty. */
    static Optional<Path> of(Words w, Path workingDir) {
        if (!w.has("dry-run")) {
            return Optional.empty();
        }
        String given = w.value("dry-run").orElse(DEFAULT);
        return Optional.of(check(given, resolve(workingDir.resolve(given).toAbsolutePath(), given)));
    }

    /**
     * {@code path} with every existing component's symlinks resolved and {@code .}/{@code ..} applied in order,
     * as {@code realpath -m} does (install.sh uses it): a {@code ..} after a symlink leaves the link's target.
     */
    static Path resolve(Path path, String given) {
        Path real = path.getRoot();
        for (Path part : path) {
            String name = part.toString();
            if (name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                real = real.getParent() == null ? real : real.getParent();
                continue;
            }
            Path next = real.resolve(name);
            try {
                if (Files.exists(next)) {
                    real = next.toRealPath();
                } else if (Files.isSymbolicLink(next)) {
                    throw new SpecException("word 'dry-run=" + given + "': " + next + " is a symlink to nothing;"
                            + " name a new or empty directory");
                } else {
                    real = next;
                }
            } catch (IOException e) {
                throw new SpecException("word 'dry-run=" + given + "': cannot resolve " + next + " (" + e.getMessage() + ")");
            }
        }
        return real;
    }

    private static Path check(String given, Path dir) {
        String word = "word 'dry-run=" + given + "'";
        if (dir.getParent() == null) {
            throw new SpecException(word + " is / itself, so the dry run would write to this host: name another directory");
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return dir;
        }
        if (!Files.isDirectory(dir)) {
            throw new SpecException(word + ": " + dir + " is not a directory; name a new or empty directory");
        }
        if (isDryRunTree(dir)) {
            return dir;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            if (entries.iterator().hasNext()) {
                throw new SpecException(word + ": " + dir + " is not empty and holds no earlier dry run (" + MARKER
                        + "); name a new or empty directory");
            }
        } catch (IOException e) {
            throw new SpecException(word + ": cannot read " + dir + " (" + e.getMessage() + "); name a new or empty directory");
        }
        return dir;
    }

    static boolean isDryRunTree(Path dir) {
        return Files.isRegularFile(dir.resolve(MARKER), LinkOption.NOFOLLOW_LINKS);
    }

    /** Creates {@code dir} if needed and marks it as a dry-run tree (once the words are checked, before any write). */
    public static void claim(Path dir) {
        try {
            Files.createDirectories(dir);
            if (!isDryRunTree(dir)) {
                Files.write(dir.resolve(MARKER), "Kubestead dry-run tree: what a run would write on a host, at the same paths.\n"
                        .getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.CREATE_NEW);
            }
        } catch (IOException e) {
            throw new SpecException("dry-run directory " + dir + ": cannot create or mark it (" + e.getMessage() + ")");
        }
    }
}
