package io.kubestead.agent.host;

import java.util.List;
import java.util.Optional;

/**
 * The one gate between the agent and a machine. Every change the agent makes to a host (files, commands,
 * services) goes through here, so that a dry-run, a test or a remote host can stand in for the real one.
 * Paths are absolute host paths such as {@code /etc/kubernetes/pki/ca.crt}.
 */
public interface Host {

    /** A short name for progress lines, e.g. {@code local} or a node name. */
    String name();

    /** Runs a command to completion. A non-zero exit is returned, not thrown; use {@link ExecResult#check()}. */
    ExecResult run(Command command);

    /** Writes a file atomically (temporary file, fsync, rename) with the given POSIX mode, creating parents. */
    void writeFile(String path, byte[] content, int mode);

    /** The file's content, or empty if it does not exist. */
    Optional<byte[]> readFile(String path);

    boolean exists(String path);

    /** Deletes a file or an empty directory; no error if it is absent. */
    void delete(String path);

    /** Renames within the host, replacing the target atomically. */
    void move(String from, String to);

    /** Creates a directory and its parents with the given mode; no error if it exists. */
    void mkdirs(String path, int mode);

    /** Names of the entries of a directory, sorted; empty if it does not exist. */
    List<String> list(String dir);

    /** The POSIX mode of a file (e.g. 0600), or empty if it does not exist. */
    Optional<Integer> mode(String path);

    /**
     * Where a host path lives on this machine's file system, for files kept open while a command runs (the run log,
     * the host lock): the real path, or the one under a dry-run directory. Empty for a host without local files.
     */
    default Optional<java.nio.file.Path> localPath(String path) {
        return Optional.empty();
    }

    default ExecResult run(String... argv) {
        return run(Command.of(argv));
    }

    default Optional<String> readString(String path) {
        return readFile(path).map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8));
    }

    default void writeString(String path, String content, int mode) {
        writeFile(path, content.getBytes(java.nio.charset.StandardCharsets.UTF_8), mode);
    }
}
