package io.kubestead.agent.host;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A dry-run over a real host: reads see the real files, nothing on the host changes. Commands are recorded and
 * answer success with no output; files that would be written land in {@code scratch} (a directory to inspect);
 * deletions are recorded and hidden from later reads. This previews commands that act on what is there (reset)
 * as truly as a dry-run can.
 */
public final class PreviewHost implements Host {
    private final Host real;
    private final Host scratch;
    private final ActionLog log;
    private final Set<String> deleted = new HashSet<>();

    public PreviewHost(Host real, Host scratch, ActionLog log) {
        this.real = real;
        this.scratch = scratch;
        this.log = log;
    }

    @Override
    public String name() {
        return real.name();
    }

    /** The dry-run directory's: a preview's run log and lock live there, never on the real host. */
    @Override
    public Optional<java.nio.file.Path> localPath(String path) {
        return scratch.localPath(path);
    }

    @Override
    public ExecResult run(Command command) {
        log.add("run: " + command.display());
        return new ExecResult(command, 0, "", "");
    }

    @Override
    public synchronized void writeFile(String path, byte[] content, int mode) {
        scratch.writeFile(path, content, mode);
        deleted.remove(path);
    }

    @Override
    public synchronized Optional<byte[]> readFile(String path) {
        if (scratch.exists(path)) {
            return scratch.readFile(path);
        }
        return deleted.contains(path) ? Optional.empty() : real.readFile(path);
    }

    @Override
    public synchronized boolean exists(String path) {
        return scratch.exists(path) || (!deleted.contains(path) && real.exists(path));
    }

    @Override
    public synchronized void delete(String path) {
        if (exists(path)) {
            deleted.add(path);
            log.add("delete " + path);
        }
    }

    @Override
    public synchronized void move(String from, String to) {
        Optional<byte[]> content = readFile(from);
        writeFile(to, content.orElseThrow(() -> new HostException("cannot move " + from + ": no such file")),
                mode(from).orElse(0644));
        delete(from);
    }

    @Override
    public void mkdirs(String path, int mode) {
        scratch.mkdirs(path, mode);
    }

    @Override
    public synchronized List<String> list(String dir) {
        String prefix = dir.endsWith("/") ? dir : dir + "/";
        return java.util.stream.Stream.concat(real.list(dir).stream(), scratch.list(dir).stream())
                .filter(n -> !deleted.contains(prefix + n)).distinct().sorted().toList();
    }

    @Override
    public synchronized Optional<Integer> mode(String path) {
        return scratch.exists(path) ? scratch.mode(path) : deleted.contains(path) ? Optional.empty() : real.mode(path);
    }
}
