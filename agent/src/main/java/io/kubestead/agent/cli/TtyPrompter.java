package io.kubestead.agent.cli;

import io.kubestead.agent.spec.Prompter;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Asks on /dev/tty rather than stdin: under {@code curl | sudo bash -s}, stdin is the script itself. With no
 * controlling terminal (CI, cron, ssh without -t) the question is not asked and the default applies.
 */
final class TtyPrompter implements Prompter {
    private final String tty;

    TtyPrompter(String tty) {
        this.tty = tty;
    }

    @Override
    public Optional<String> ask(String question) {
        try (FileInputStream in = new FileInputStream(tty); OutputStream out = new FileOutputStream(tty)) {
            out.write(question.getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            return Optional.of(line == null ? "" : line);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
