package io.kubestead.agent.host;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Files kept in memory, no commands: for records that must not outlive a run, such as the progress of a reset
 * (whose real state file is among what reset deletes).
 */
public final class MemoryHost implements Host {
    private final String name;
    private final Map<String, byte[]> files = new TreeMap<>();
    private final Map<String, Integer> modes = new TreeMap<>();

    public MemoryHost(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ExecResult run(Command command) {
        return new ExecResult(command, 127, "", "a memory host runs no commands\n");
    }

    @Override
    public synchronized void writeFile(String path, byte[] content, int mode) {
        files.put(path, content.clone());
        modes.put(path, mode);
    }

    @Override
    public synchronized Optional<byte[]> readFile(String path) {
        return Optional.ofNullable(files.get(path)).map(byte[]::clone);
    }

    @Override
    public synchronized boolean exists(String path) {
        return files.containsKey(path) || !list(path).isEmpty();
    }

    @Override
    public synchronized void delete(String path) {
        files.remove(path);
        modes.remove(path);
    }

    @Override
    public synchronized void move(String from, String to) {
        Optional<byte[]> content = readFile(from);
        if (content.isEmpty()) {
            throw new HostException("cannot move " + from + ": no such file");
        }
        writeFile(to, content.get(), modes.get(from));
        delete(from);
    }

    @Override
    public void mkdirs(String path, int mode) {
        // directories exist implicitly, as the parents of files
    }

    @Override
    public synchronized List<String> list(String dir) {
        String prefix = dir.endsWith("/") ? dir : dir + "/";
        return files.keySet().stream().filter(p -> p.startsWith(prefix))
                .map(p -> p.substring(prefix.length()).split("/")[0]).distinct().sorted().toList();
    }

    @Override
    public synchronized Optional<Integer> mode(String path) {
        return Optional.ofNullable(modes.get(path));
    }
}
