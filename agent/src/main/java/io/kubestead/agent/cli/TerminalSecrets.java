package io.kubestead.agent.cli;

import io.kubestead.agent.ssh.SshCredentials;
import io.kubestead.agent.ssh.SshTarget;
import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Passwords for node add, asked at the terminal without echo (never taken from a word, an option or the
 * environment): one SSH password per user, asked once and used for every host and for sudo; a passphrase per key.
 * Without a terminal nothing is asked, so a login that needs a password fails with its reason.
 */
final class TerminalSecrets implements SshCredentials.Secrets {
    private final String tty;
    private final Map<String, char[]> asked = new HashMap<>();

    TerminalSecrets(String tty) {
        this.tty = tty;
    }

    @Override
    public synchronized Optional<char[]> password(SshTarget target) {
        return cached("password:" + target.user(), target.user() + "'s password (for SSH and sudo on every host): ");
    }

    @Override
    public synchronized Optional<char[]> passphrase(Path identity) {
        return cached("key:" + identity, "passphrase of " + identity + ": ");
    }

    private Optional<char[]> cached(String key, String prompt) {
        char[] known = asked.get(key);
        if (known == null) {
            known = read(prompt).orElse(null);
            if (known == null) {
                return Optional.empty();
            }
            asked.put(key, known);
        }
        return Optional.of(Arrays.copyOf(known, known.length));
    }

    /** A line from the terminal with echo off (stty on the terminal itself, as ssh's own prompt does). */
    private Optional<char[]> read(String prompt) {
        java.io.Console console = System.console();
        if (console != null) {
            return Optional.ofNullable(console.readPassword("%s", prompt));
        }
        File t = new File(tty);
        try (FileInputStream in = new FileInputStream(t); OutputStream out = new FileOutputStream(t)) {
            if (!stty(t, "-echo")) {
                return Optional.empty();
            }
            try {
                out.write(prompt.getBytes(StandardCharsets.UTF_8));
                out.flush();
                String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
                out.write('\n');
                return Optional.ofNullable(line).map(String::toCharArray);
            } finally {
                stty(t, "echo");
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean stty(File tty, String mode) {
        try {
            Process p = new ProcessBuilder("stty", mode).redirectInput(tty).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
