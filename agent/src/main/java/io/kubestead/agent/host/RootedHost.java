package io.kubestead.agent.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A host whose files live under a root directory: {@code /} for the real host, a dry-run directory, or a test's
 * temporary directory. Commands go to a {@link CommandRunner}; every change is recorded in an {@link ActionLog}.
 */
public final class RootedHost implements Host {
    private final String name;
    private final Path root;
    private final CommandRunner runner;
    private final ActionLog log;

    public RootedHost(String name, Path root, CommandRunner runner, ActionLog log) {
        this.name = name;
        this.root = root.toAbsolutePath().normalize();
        this.runner = runner;
        this.log = log;
    }

    /** The real local machine. */
    public static RootedHost local(ActionLog log) {
        return new RootedHost("local", Path.of("/"), new ProcessRunner(), log);
    }

    public Path root() {
        return root;
    }

    /** Where a host path lives on this machine's file system. */
    public Path resolve(String hostPath) {
        if (!hostPath.startsWith("/")) {
            throw new IllegalArgumentException("host paths are absolute: " + hostPath);
        }
        Path p = root.resolve(hostPath.substring(1)).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("path leaves the host root: " + hostPath);
        }
        return p;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<Path> localPath(String path) {
        return Optional.of(resolve(path));
    }

    @Override
    public ExecResult run(Command command) {
        log.add("run: " + command.display());
        ExecResult r = runner.run(command, log.output(command));
        log.ended(r);
        return r;
    }

    @Override
    public void writeFile(String path, byte[] content, int mode) {
        Path target = resolve(path);
        try {
            Files.createDirectories(target.getParent());
            removeStaleTemporaries(path, target);
            Path tmp = Files.createTempFile(target.getParent(), TemporaryName.prefix(target.getFileName().toString()),
                    TemporaryName.SUFFIX, PosixFilePermissions.asFileAttribute(permissions(0600)));
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    ch.write(java.nio.ByteBuffer.wrap(content));
                    ch.force(true);
                }
                Files.setPosixFilePermissions(tmp, permissions(mode));
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new HostException("cannot write " + path + ": " + e.getMessage(), e);
        }
        log.add(String.format("write %s (mode %04o, %d bytes)", path, mode, content.length));
    }

    /**
     * Removes what killed runs left of this writer's temporaries for {@code target}: a kill between creating the
     * temporary and renaming it leaves one (mode 0600) beside the file. The phase that was writing was not recorded
     * as finished, so the rerun writes the same file again and clears them here. Only regular files named as this
     * writer names its temporaries go, and only when no live process can still be writing them.
     */
    private void removeStaleTemporaries(String path, Path target) throws IOException {
        String name = target.getFileName().toString();
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(target.getParent(),
                p -> TemporaryName.of(name, p.getFileName().toString()).isPresent())) {
            for (Path p : s) {
                TemporaryName t = TemporaryName.of(name, p.getFileName().toString()).orElseThrow();
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    continue; // its writer finished meanwhile
                }
                if (a.isRegularFile() && t.stale(a.lastModifiedTime().toInstant())) {
                    stale.add(p);
                }
            }
        }
        String dir = path.substring(0, path.lastIndexOf('/') + 1);
        for (Path p : stale) {
            if (Files.deleteIfExists(p)) {
                log.add("delete " + dir + p.getFileName() + " (left by a killed run)");
            }
        }
    }

    @Override
    public Optional<byte[]> readFile(String path) {
        try {
            return Optional.of(Files.readAllBytes(resolve(path)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new HostException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(resolve(path));
    }

    @Override
    public void delete(String path) {
        try {
            if (Files.deleteIfExists(resolve(path))) {
                log.add("delete " + path);
            }
        } catch (IOException e) {
            throw new HostException("cannot delete " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void move(String from, String to) {
        try {
            Path target = resolve(to);
            Files.createDirectories(target.getParent());
            Files.move(resolve(from), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            log.add("move " + from + " -> " + to);
        } catch (IOException e) {
            throw new HostException("cannot move " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void mkdirs(String path, int mode) {
        Path dir = resolve(path);
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, permissions(mode));
            log.add(String.format("mkdir %s (mode %04o)", path, mode));
        } catch (IOException e) {
            throw new HostException("cannot create " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String dir) {
        Path d = resolve(dir);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        names.sort(null);
        return names;
    }

    @Override
    public Optional<Integer> mode(String path) {
        try {
            return Optional.of(toMode(Files.getPosixFilePermissions(resolve(path))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new HostException("cannot stat " + path + ": " + e.getMessage(), e);
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    static int toMode(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= switch (p) {
                case OWNER_READ -> 0400; case OWNER_WRITE -> 0200; case OWNER_EXECUTE -> 0100;
                case GROUP_READ -> 040; case GROUP_WRITE -> 020; case GROUP_EXECUTE -> 010;
                case OTHERS_READ -> 04; case OTHERS_WRITE -> 02; case OTHERS_EXECUTE -> 01;
            };
        }
        return mode;
    }
}
