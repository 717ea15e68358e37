package io.kubestead.agent.kubeadm;

import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kubeadm bootstrap token {@code id.secret} (6 and 16 characters of [a-z0-9]). The secret authenticates joining
 * nodes, so {@link #toString()} shows the id only; write the whole token with {@link #value()}.
 */
public record BootstrapToken(String id, String secret) {
    /** kubeadm's own pattern (k8s.io/cluster-bootstrap/token/api BootstrapTokenPattern). */
    public static final Pattern FORM = Pattern.compile("\\A([a-z0-9]{6})\\.([a-z0-9]{16})\\z");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    public BootstrapToken {
        if (id == null || !id.matches("[a-z0-9]{6}")) {
            throw new IllegalArgumentException("bootstrap token id must be 6 characters of [a-z0-9]");
        }
        if (secret == null || !secret.matches("[a-z0-9]{16}")) {
            throw new IllegalArgumentException("bootstrap token secret must be 16 characters of [a-z0-9]");
        }
    }

    /** A fresh token from a cryptographic random source. */
    public static BootstrapToken generate(SecureRandom random) {
        return new BootstrapToken(randomString(random, 6), randomString(random, 16));
    }

    /** Parses {@code abcdef.0123456789abcdef}; the message never repeats the input, which may be a real secret. */
    public static BootstrapToken parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException(
                    "not a bootstrap token: expected 6 and 16 characters of [a-z0-9] joined by a dot");
        }
        return new BootstrapToken(m.group(1), m.group(2));
    }

    public static boolean isValid(String text) {
        return text != null && FORM.matcher(text).matches();
    }

    /** The full secret token, for configuration files (mode 0600) and nowhere else. */
    public String value() {
        return id + "." + secret;
    }

    @Override
    public String toString() {
        return id + ".****************";
    }

    private static String randomString(SecureRandom random, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
