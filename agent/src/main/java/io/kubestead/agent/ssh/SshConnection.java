package io.kubestead.agent.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * One logged-in SSH session: runs commands (their output as lines, as they come) and copies files. What the far
 * side prints is untrusted: lines are cut at {@value #MAX_LINE} characters and control characters are shown as '?',
 * so output cannot drive the local terminal.
 */
public final class SshConnection implements AutoCloseable {
    static final int MAX_LINE = 4096;

    private final SshTarget target;
    private final Session session;
    private final HostKeyCheck hostKey;

    SshConnection(SshTarget target, Session session, HostKeyCheck hostKey) {
        this.target = target;
        this.session = session;
        this.hostKey = hostKey;
    }

    public SshTarget target() {
        return target;
    }

    /** How the host key was judged (known, or new and accepted). */
    public HostKeyCheck hostKey() {
        return hostKey;
    }

    /**
     * Runs {@code command} through the login shell, {@code stdin} as its input (then end of file), each line of
     * its stdout and stderr to {@code lines} (from two threads: make it thread-safe). Returns the exit status,
     * -1 when the session ended without one.
     */
    public int run(String command, InputStream stdin, Consumer<String> lines) throws SshException {
        return run(command, stdin, lines, lines);
    }

    /** As {@link #run(String, InputStream, Consumer)}, stdout's lines and stderr's to their own consumers. */
    public int run(String command, InputStream stdin, Consumer<String> lines, Consumer<String> errors) throws SshException {
        ChannelExec ch;
        try {
            ch = (ChannelExec) session.openChannel("exec");
        } catch (JSchException e) {
            throw new SshException(SshException.Kind.BROKEN, target.label() + ": cannot open an SSH channel: " + e.getMessage(), e);
        }
        try {
            ch.setCommand(command);
            ch.setInputStream(stdin, false);
            InputStream out = ch.getInputStream();
            InputStream err = ch.getErrStream();
            ch.connect(30_000);
            Thread errReader = new Thread(() -> pump(err, errors), "ssh-err-" + target.host());
            errReader.setDaemon(true);
            errReader.start();
            pump(out, lines);
            errReader.join();
            while (!ch.isClosed()) {
                Thread.sleep(20);
            }
            return ch.getExitStatus();
        } catch (JSchException | IOException e) {
            throw new SshException(SshException.Kind.BROKEN, target.label() + ": SSH command failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SshException(SshException.Kind.BROKEN, target.label() + ": interrupted", e);
        } finally {
            ch.disconnect();
        }
    }

    /** Runs a command with no input and returns its exit status with its stdout and stderr (each lines joined). */
    public Output capture(String command) throws SshException {
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        int status = run(command, InputStream.nullInputStream(), l -> out.append(l).append('\n'),
                l -> err.append(l).append('\n'));
        return new Output(status, out.toString(), err.toString());
    }

    public record Output(int status, String text, String errors) {
    }

    /**
     * Writes {@code content} to {@code remotePath} with {@code mode}, created under umask 077 so it is never
     * readable by others, not even while it is written. The path is quoted for the shell.
     */
    public void upload(InputStream content, String remotePath, int mode) throws SshException {
        String p = quote(remotePath);
        StringBuilder errors = new StringBuilder();
        int status = run("umask 077 && cat > " + p + " && chmod " + Integer.toOctalString(mode) + " " + p, content,
                l -> {
                    synchronized (errors) {
                        errors.append(l).append(' ');
                    }
                });
        if (status != 0) {
            throw new SshException(SshException.Kind.BROKEN, target.label() + ": cannot write " + remotePath + " (exit "
                    + status + "): " + errors.toString().strip(), null);
        }
    }

    public void upload(Path local, String remotePath, int mode) throws SshException {
        try (InputStream in = Files.newInputStream(local)) {
            upload(in, remotePath, mode);
        } catch (IOException e) {
            throw new SshException(SshException.Kind.BROKEN, "cannot read " + local + ": " + e.getMessage(), e);
        }
    }

    public void upload(byte[] content, String remotePath, int mode) throws SshException {
        upload(new ByteArrayInputStream(content), remotePath, mode);
    }

    /** Input for {@link #run}: a secret line (a sudo password) ahead of nothing else; the caller clears its array. */
    public static InputStream secretLine(char[] secret) {
        byte[] b = (new String(secret) + "\n").getBytes(StandardCharsets.UTF_8);
        return new SequenceInputStream(new ByteArrayInputStream(b), InputStream.nullInputStream());
    }

    private static void pump(InputStream in, Consumer<String> lines) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n' || line.size() >= MAX_LINE) {
                        lines.accept(clean(line.toByteArray()));
                        line.reset();
                        if (buf[i] == '\n') {
                            continue;
                        }
                    }
                    line.write(buf[i]);
                }
            }
        } catch (IOException e) {
            // the channel closed under us: what was read is passed on below
        }
        if (line.size() > 0) {
            lines.accept(clean(line.toByteArray()));
        }
    }

    /** Control characters (escape sequences, carriage returns) shown as '?'; tabs kept. */
    static String clean(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.appendCodePoint(c == '\t' || (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0)) ? c : '?'));
        return sb.toString();
    }

    /** A word for the remote POSIX shell, in single quotes. */
    public static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Override
    public void close() {
        session.disconnect();
    }
}
