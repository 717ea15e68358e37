package io.kubestead.agent.spec;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The words given on a command line, checked against a vocabulary: unknown words, missing or unexpected values and
 * the same word twice with different values are rejected with a {@link SpecException} naming the word.
 * Words may be written bare ({@code ha}), as key=value, or with leading dashes ({@code --ha}).
 */
public final class Words {
    private final Map<String, String> values;
    private final String command;

    private Words(Map<String, String> values, String command) {
        this.values = values;
        this.command = command;
    }

    public static Words parse(List<String> args, List<WordDef> vocabulary, String command) {
        Map<String, WordDef> byName = new LinkedHashMap<>();
        vocabulary.forEach(d -> byName.put(d.name(), d));
        Map<String, String> values = new LinkedHashMap<>();
        for (String raw : args) {
            String word = raw.startsWith("--") ? raw.substring(2) : raw;
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            String value = eq < 0 ? null : word.substring(eq + 1);
            WordDef def = byName.get(name);
            if (def == null) {
                throw new SpecException(unknown(raw, name, vocabulary, command));
            }
            String normalized = switch (def.kind()) {
                case FLAG -> {
                    if (value != null && !value.equals("true")) {
                        throw new SpecException("word " + Shown.quoted(raw) + ": '" + name + "' takes no value; write just '"
                                + name + "'");
                    }
                    yield "";
                }
                case VALUE -> {
                    if (value == null || value.isEmpty()) {
                        throw new SpecException("word " + Shown.quoted(raw) + " needs a value: " + def.usage());
                    }
                    yield value;
                }
                case OPTIONAL_VALUE -> value == null ? "" : value;
            };
            String earlier = values.putIfAbsent(name, normalized);
            if (earlier != null && !earlier.equals(normalized)) {
                throw new SpecException("word '" + name + "' is given twice with different values (" + Shown.quoted(earlier)
                        + " and " + Shown.quoted(normalized) + "); give it once");
            }
        }
        return new Words(values, command);
    }

    private static String unknown(String raw, String name, List<WordDef> vocabulary, String command) {
        String hint = vocabulary.stream()
                .map(WordDef::name)
                .filter(n -> distance(n, name) <= Math.max(2, name.length() / 4) || (name.length() >= 4 && n.startsWith(name)))
                .min(Comparator.comparingInt(n -> distance(n, name)))
                .map(n -> "; did you mean '" + n + "'?")
                .orElse("");
        return "unknown word " + Shown.quoted(raw) + hint + " (see 'kubestead " + command + " --help' for the words)";
    }

    /** Levenshtein distance, for "did you mean". */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value of a key=value word, or empty when the word was not given (or given bare, for optional values). */
    public Optional<String> value(String name) {
        String v = values.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    /** Wraps a value parser so that its complaint names the word. */
    public <T> Optional<T> value(String name, ValueParser<T> parser, String valid) {
        Optional<String> raw = value(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.parse(raw.get()));
        } catch (IllegalArgumentException e) {
            throw new SpecException("word " + shown(name) + ": " + e.getMessage() + "; " + valid);
        }
    }

    /** The word as given, {@code name=value}, quoted for a message (see {@link Shown}). */
    public String shown(String name) {
        String v = values.get(name);
        return Shown.quoted(v == null || v.isEmpty() ? name : name + "=" + v);
    }

    public String command() {
        return command;
    }

    @FunctionalInterface
    public interface ValueParser<T> {
        T parse(String text);
    }
}
