package io.kubestead.agent.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The word {@code secrets-file=FILE}: the join's secret words ({@code token=}, {@code cert-key=}), one a line, in a
 * file only its owner can read, so they never appear on a command line ({@code ps}, shell history). {@code node add}
 * sends them this way. The file's words are added to the others, as if given there.
 */
public final class SecretsFile {
    public static final String WORD = "secrets-file";
    /** The words the file may hold: only secrets, so the file cannot change what the visible words say. */
    public static final List<String> SECRET_WORDS = List.of("token", "cert-key");
    static final int LIMIT = 4096;

    private SecretsFile() {
    }

    /** {@code args} with the words of the secrets file they name appended (unchanged when they name none). */
    public static List<String> expand(List<String> args, Path workingDir) {
        String named = null;
        for (String raw : args) {
            String word = raw.startsWith("--") ? raw.substring(2) : raw;
            if (word.startsWith(WORD + "=")) {
                named = word.substring(WORD.length() + 1);
            }
        }
        if (named == null || named.isEmpty()) {
            return args;
        }
        Path file = workingDir.resolve(named);
        String shown = "word " + Shown.quoted(WORD + "=" + named);
        byte[] bytes;
        try {
            bytes = InputFile.read(file, LIMIT);
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new SpecException(shown + ": the file can be read by others than its owner; chmod 600 it (it holds"
                        + " the join token)");
            }
        } catch (InputFile.Refused e) {
            throw new SpecException(shown + ": the file " + e.getMessage());
        } catch (IOException e) {
            throw new SpecException(shown + ": the file's mode cannot be read (" + e.getMessage() + ")");
        }
        List<String> out = new ArrayList<>(args);
        int n = 0;
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            n++;
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq < 0 || !SECRET_WORDS.contains(l.substring(0, eq))) {
                // the line is not echoed: it may be a secret
                throw new SpecException(shown + ": line " + n + " is not token=... or cert-key=...; the file holds only"
                        + " those");
            }
            out.add(l);
        }
        return out;
    }
}
