package io.kubestead.agent.spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The web console on the first master (words {@code console=on|off}, {@code console-port=PORT},
 * {@code console-password-file=FILE}): on by default at port {@value #DEFAULT_PORT}. The password comes from the
 * file's first line, or install generates one and shows it once; either way only its salted hash is kept.
 */
public record ConsoleSettings(boolean enabled, int port, Path passwordFile) {
    public static final int DEFAULT_PORT = 8800;
    public static final int MIN_PASSWORD = 12;
    public static final int MAX_PASSWORD = 256;
    /** A password file is a line and a line end, not a document. */
    static final int FILE_LIMIT = 4096;
    public static final ConsoleSettings OFF = new ConsoleSettings(false, DEFAULT_PORT, null);

    public Optional<Path> passwordFileValue() {
        return Optional.ofNullable(passwordFile);
    }

    static ConsoleSettings from(Words w, LoadBalancer lb, boolean airgap, int bundlePort) {
        boolean enabled = w.value("console", s -> switch (s) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(Shown.quoted(s) + " is neither on nor off");
        }, "give console=off to install without the console (it is on by default)").orElse(true);
        Optional<Integer> port = w.value("console-port", InstallSpecParser::port, "give a port 1-65535");
        if (!enabled && (port.isPresent() || w.has("console-password-file"))) {
            throw new SpecException("words " + (port.isPresent() ? w.shown("console-port") : w.shown("console-password-file"))
                    + " and 'console=off' contradict each other; drop one");
        }
        if (enabled) {
            Set<Integer> taken = new LinkedHashSet<>(NodePorts.MASTER);
            if (lb.mode() == LoadBalancer.Mode.INTERNAL) {
                taken.add(lb.internalPort());
            }
            if (airgap) {
                taken.add(bundlePort);
            }
            int chosen = port.orElse(DEFAULT_PORT);
            if (taken.contains(chosen)) {
                throw new SpecException((port.isPresent() ? "word " + w.shown("console-port") : "the console's port "
                        + DEFAULT_PORT) + " is a port a master already uses (" + taken + "); choose another with"
                        + " console-port=PORT");
            }
        }
        Path file = null;
        if (w.has("console-password-file")) {
            file = InstallSpecParser.inputFile(w, "console-password-file", "give a file whose first line is the password");
            try {
                password(file);
            } catch (SpecException e) {
                throw new SpecException("word " + w.shown("console-password-file") + ": " + e.getMessage());
            }
        }
        return new ConsoleSettings(enabled, port.orElse(DEFAULT_PORT), file);
    }

    /** The password in {@code file}: its first line without the line end, checked for length and control characters. */
    public static char[] password(Path file) {
        byte[] bytes;
        try {
            bytes = InputFile.read(file, FILE_LIMIT);
        } catch (InputFile.Refused e) {
            throw new SpecException("the file " + e.getMessage());
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String line = (end < 0 ? text : text.substring(0, end)).replaceFirst("\r$", "");
        java.util.Arrays.fill(bytes, (byte) 0);
        if (line.length() < MIN_PASSWORD || line.length() > MAX_PASSWORD) {
            throw new SpecException("the password on the file's first line must have " + MIN_PASSWORD + " to "
                    + MAX_PASSWORD + " characters (it has " + line.length() + ")");
        }
        if (line.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new SpecException("the password on the file's first line has control characters; use printable ones");
        }
        return line.toCharArray();
    }
}
