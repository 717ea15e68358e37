package io.kubestead.agent.spec;

/**
 * How user input appears in messages: every word, value and file name an error line echoes goes through here, so a
 * hostile word cannot move the cursor, recolour the terminal or start a second line (control and format characters
 * are written as visible escapes, e.g. {@code \x1b}, {@code \n}, {@code \u202e}), and a huge word cannot flood the
 * log (values are cut after {@value #MAX} characters, saying how long they were).
 */
public final class Shown {
    /** The longest value shown in full. */
    public static final int MAX = 200;

    private Shown() {
    }

    /** {@code value} in single quotes, escaped and cut. */
    public static String quoted(String value) {
        return "'" + value(value) + "'";
    }

    /** {@code value} escaped and cut, without quotes. */
    public static String value(String value) {
        if (value == null) {
            return "null";
        }
        if (value.codePointCount(0, value.length()) <= MAX) {
            return escape(value);
        }
        return escape(value.substring(0, value.offsetByCodePoints(0, MAX))) + "... (" + value.length() + " characters)";
    }

    /**
     * {@code text} with control and format characters escaped; the last guard before an error line is printed, so a
     * message built without {@link #quoted} still stays one harmless line.
     */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    int type = Character.getType(c);
                    if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                            || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE) {
                        out.append(c <= 0xff ? String.format("\\x%02x", c) : String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }
}
