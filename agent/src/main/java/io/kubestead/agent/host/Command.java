package io.kubestead.agent.host;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A command line to run on a host. {@code secret} marks commands whose arguments or input carry secrets: they are
 * shown in plans and logs as {@code display} only.
 */
public record Command(List<String> argv, byte[] stdin, Map<String, String> env, Duration timeout, String display) {

    public Command {
        if (argv == null || argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least a program name");
        }
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        stdin = stdin == null ? new byte[0] : stdin.clone();
        display = display == null ? String.join(" ", argv) : display;
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv), null, Map.of(), Duration.ofMinutes(30), null);
    }

    public static Command of(List<String> argv) {
        return new Command(argv, null, Map.of(), Duration.ofMinutes(30), null);
    }

    public Command withStdin(byte[] input) {
        return new Command(argv, input, env, timeout, display);
    }

    public Command withTimeout(Duration t) {
        return new Command(argv, stdin, env, t, display);
    }

    public Command withEnv(Map<String, String> e) {
        return new Command(argv, stdin, e, timeout, display);
    }

    /** Replaces what logs and plans show, for commands that carry secrets. */
    public Command redacted(String shown) {
        return new Command(argv, stdin, env, timeout, shown);
    }

    /**
     * The text with this command's secrets masked: the argument words its redacted display hides (and the value of
     * a hidden {@code key=value} word). A program may print them back (kubeadm token create prints the token), so
     * run logs and failure reports pass its output through here, as they show its command line as {@code display}.
     */
    public String scrub(String text) {
        if (display.equals(String.join(" ", argv))) {
            return text;
        }
        List<String> hidden = new java.util.ArrayList<>();
        for (String word : argv) {
            if (!display.contains(word)) {
                hidden.add(word);
                int eq = word.indexOf('=');
                if (eq >= 0 && !display.contains(word.substring(eq + 1))) {
                    hidden.add(word.substring(eq + 1));
                }
            }
        }
        hidden.sort(java.util.Comparator.comparingInt(String::length).reversed());
        String out = text;
        for (String word : hidden) {
            if (word.length() >= 4) {
                out = out.replace(word, "****");
            }
        }
        return out;
    }

    @Override
    public byte[] stdin() {
        return stdin.clone();
    }

    @Override
    public String toString() {
        return display;
    }
}
