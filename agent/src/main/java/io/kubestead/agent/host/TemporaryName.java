package io.kubestead.agent.host;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the atomic file writer names its temporary beside a file: {@code .NAME.kubestead-PID-RANDOM.tmp}, carrying the
 * writing process's id so that a later run can tell a killed writer's leftover from a live writer's file. Earlier
 * agents wrote {@code .NAMERANDOM.tmp}; those carry no owner and count as stale when older than this process.
 */
record TemporaryName(long pid, boolean legacy) {
    static final String SUFFIX = ".tmp";
    private static final String MARK = ".kubestead-";

    /** The prefix {@code Files.createTempFile} puts before its random digits. */
    static String prefix(String name) {
        return "." + name + MARK + ProcessHandle.current().pid() + "-";
    }

    /** What {@code entry} (a directory entry's name) is, if it is one of this writer's temporaries for {@code name}. */
    static Optional<TemporaryName> of(String name, String entry) {
        if (!entry.startsWith("." + name) || !entry.endsWith(SUFFIX)) {
            return Optional.empty(); // most entries of a directory such as /usr/bin: no pattern to compile
        }
        Matcher m = Pattern.compile(Pattern.quote("." + name + MARK) + "(\\d{1,19})-\\d+" + Pattern.quote(SUFFIX))
                .matcher(entry);
        if (m.matches()) {
            try {
                return Optional.of(new TemporaryName(Long.parseLong(m.group(1)), false));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        // Files.createTempFile's random part is an unsigned long in decimal
        boolean legacy = Pattern.compile(Pattern.quote("." + name) + "\\d{1,20}" + Pattern.quote(SUFFIX)).matcher(entry).matches();
        return legacy ? Optional.of(new TemporaryName(-1, true)) : Optional.empty();
    }

    /**
     * True when no live process can be writing it: its process is gone, or the process now holding that id started
     * after the file was last written (the id was reused). A legacy name is stale when it predates this process.
     */
    boolean stale(Instant modified) {
        ProcessHandle self = ProcessHandle.current();
        if (legacy) {
            return self.info().startInstant().map(modified::isBefore).orElse(false);
        }
        Optional<ProcessHandle> owner = ProcessHandle.of(pid);
        if (owner.isEmpty() || !owner.get().isAlive()) {
            return true;
        }
        return owner.get().info().startInstant().map(start -> start.isAfter(modified)).orElse(false);
    }
}
