package io.kubestead.agent.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The log of one run of a command that changes a host: /var/log/kubestead/COMMAND-TIME.log (mode 0600), under the
 * dry-run directory for a dry-run. Phases, changes, each command line (as plans show it, secrets redacted) and
 * each line of its output (secrets masked) are appended as they happen, so the log is complete up to a crash and
 * can be followed with tail -f. Each command keeps its newest {@link #KEEP} logs: timers (lb-sync, renewals,
 * backups) would otherwise fill /var/log over the years.
 */
public final class RunLog implements AutoCloseable {
    public static final String DIR = "/var/log/kubestead";
    /** Logs kept per command, this run's included. */
    public static final int KEEP = 30;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final FileChannel channel;
    private boolean broken;

    private RunLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * A new log for {@code command} on {@code host}, named after the start time (with -2, -3 ... when a log of that
     * second exists). Throws if the host has no local files or the log cannot be created.
     */
    public static RunLog create(Host host, String command, Instant start) {
        String name = command.replaceAll("[^a-z0-9-]", "-") + "-" + STAMP.format(start);
        Path dir = host.localPath(DIR).orElseThrow(() -> new HostException("this host keeps no run log"));
        try {
            Files.createDirectories(dir.getParent());
            if (!Files.isDirectory(dir)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(RootedHost.permissions(0700)));
            }
            for (int n = 1; ; n++) {
                Path file = dir.resolve(name + (n == 1 ? "" : "-" + n) + ".log");
                try {
                    FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                            PosixFilePermissions.asFileAttribute(RootedHost.permissions(0600)));
                    Files.setPosixFilePermissions(file, RootedHost.permissions(0600));
                    RunLog log = new RunLog(file, ch);
                    log.line("# kubestead " + command + ", pid " + ProcessHandle.current().pid() + ", started " + start);
                    prune(dir, command.replaceAll("[^a-z0-9-]", "-"), file);
                    return log;
                } catch (FileAlreadyExistsException e) {
                    if (n >= 1000) {
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new HostException("cannot create a run log in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes all but the newest {@link #KEEP} logs of one command, this run's always kept. The stamp sorts by time; only regular files named
     * like our own logs are touched, and a failure to delete one is left for the next run.
     */
    private static void prune(Path dir, String prefix, Path current) throws IOException {
        Pattern ours = Pattern.compile(
                Pattern.quote(prefix) + "-\\d{8}T\\d{6}Z(-\\d{1,4})?\\.log");
        List<Path> logs;
        try (Stream<Path> s = Files.list(dir)) {
            logs = s.filter(p -> ours.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted(Comparator.comparing(RunLog::order).reversed())
                    .toList();
        }
        List<Path> others = logs.stream().filter(p -> !p.equals(current)).toList();
        for (Path old : others.subList(Math.min(KEEP - 1, others.size()), others.size())) {
            try {
                Files.deleteIfExists(old);
            } catch (IOException ignored) {
                // the next run tries again
            }
        }
    }

    /** Sort key: the stamp, then the -N suffix as a number (install-...Z-10.log comes after -9). */
    private static String order(Path log) {
        String name = log.getFileName().toString();
        name = name.substring(0, name.length() - ".log".length());
        int z = name.lastIndexOf('Z');
        String suffix = name.substring(z + 1);
        int n = suffix.isEmpty() ? 1 : Integer.parseInt(suffix.substring(1));
        return name.substring(0, z + 1) + String.format("%05d", n);
    }

    /** The log's path on this machine: under / for a real run, under the dry-run directory for a dry-run. */
    public Path file() {
        return file;
    }

    /** Appends one line. A write that fails (disk full) ends the log quietly: the run itself goes on. */
    public synchronized void line(String text) {
        if (broken) {
            return;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            broken = true;
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // every line was written as it came; nothing is left to flush
        }
    }
}
