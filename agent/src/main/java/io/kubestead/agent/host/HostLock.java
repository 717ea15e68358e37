package io.kubestead.agent.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one lock of the commands that change a host (install, join, reset, set-endpoint, join-script, certs renew,
 * lb-sync): they load, modify and write the same files (the state file, /etc/hosts, the balancer's configuration).
 * A kernel lock on /run/kubestead.lock (under the dry-run directory in a dry-run), released by the kernel when the
 * process dies, so a killed command never leaves it behind. The file names its holder: command, pid, start time.
 * It lives outside /var/lib/kubestead and /run/kubestead, which reset removes while holding it.
 *
 * <p>The lock is the process's (POSIX record locks): one command per process, as the CLI runs.
 */
public final class HostLock implements AutoCloseable {
    public static final String PATH = "/run/kubestead.lock";
    private static final long POLL_MS = 200;

    private final FileChannel channel;

    private HostLock(FileChannel channel) {
        this.channel = channel;
    }

    /** Who holds the lock, as its file says; each part is printable text of bounded length. */
    public record Holder(String command, String pid, String since) {
        public String describe() {
            return command + " (pid " + pid + ", started " + since + ")";
        }

        static Holder parse(String text) {
            Map<String, String> f = new HashMap<>();
            text.lines().limit(10).forEach(l -> {
                int eq = l.indexOf('=');
                if (eq > 0) {
                    String v = l.substring(eq + 1).replaceAll("[^\\x20-\\x7e]", "?");
                    f.put(l.substring(0, eq), v.substring(0, Math.min(80, v.length())));
                }
            });
            return new Holder(f.getOrDefault("command", "another kubestead command"), f.getOrDefault("pid", "unknown"),
                    f.getOrDefault("started", "at an unknown time"));
        }
    }

    /**
     * Takes the host lock for {@code command}. While another command holds it, tells {@code waiting} once and tries
     * again until {@code patience} is over (zero: once), then throws {@link HostLockBusyException} naming the holder.
     * A host without local files has nothing to contend for: the lock is then a no-op.
     */
    public static HostLock take(Host host, String command, Instant start, Duration patience, Consumer<Holder> waiting) {
        Optional<Path> local = host.localPath(PATH);
        if (local.isEmpty()) {
            return new HostLock(null);
        }
        Path file = local.get();
        FileChannel ch;
        try {
            Files.createDirectories(file.getParent());
            ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(RootedHost.permissions(0644)));
        } catch (IOException e) {
            throw new HostException("cannot open the host lock " + file + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + patience.toNanos();
        boolean told = false;
        try {
            while (true) {
                if (tryLock(ch)) {
                    byte[] holder = ("command=" + command + "\npid=" + ProcessHandle.current().pid() + "\nstarted=" + start
                            + "\n").getBytes(StandardCharsets.UTF_8);
                    ch.truncate(0);
                    ch.write(ByteBuffer.wrap(holder), 0);
                    ch.force(false);
                    return new HostLock(ch);
                }
                Holder holder = read(ch);
                if (System.nanoTime() - deadline >= 0) {
                    ch.close();
                    throw new HostLockBusyException(file, holder, patience);
                }
                if (!told) {
                    waiting.accept(holder);
                    told = true;
                }
                TimeUnit.MILLISECONDS.sleep(POLL_MS);
            }
        } catch (IOException e) {
            closeQuietly(ch);
            throw new HostException("cannot take the host lock " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            closeQuietly(ch);
            Thread.currentThread().interrupt();
            throw new HostException("interrupted while waiting for the host lock " + file, e);
        }
    }

    private static boolean tryLock(FileChannel ch) throws IOException {
        try {
            FileLock l = ch.tryLock();
            return l != null;
        } catch (OverlappingFileLockException e) {
            return false; // held by this process already (two commands in one JVM, as tests run them)
        }
    }

    private static Holder read(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1024);
        ch.read(b, 0);
        return Holder.parse(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a lock file we do not hold: nothing to undo
        }
    }

    /** Releases the lock (closing the file releases it; the file stays, so no one ever locks a deleted one). */
    @Override
    public void close() {
        if (channel != null) {
            closeQuietly(channel);
        }
    }
}
