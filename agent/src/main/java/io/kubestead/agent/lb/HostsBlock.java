package io.kubestead.agent.lb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kubestead block in /etc/hosts, between {@code # BEGIN kubestead} and {@code # END kubestead}. Rewriting it
 * changes nothing outside the block, and applying the same entries twice gives the same text.
 */
public final class HostsBlock {
    public static final String BEGIN = "# BEGIN kubestead";
    public static final String END = "# END kubestead";

    private HostsBlock() {
    }

    /** The block for {@code entries} (name to IP), or empty text when there are none. */
    public static String render(Map<String, String> entries) {
        if (entries.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(BEGIN).append(" (managed by Kubestead; edits here are overwritten)\n");
        entries.forEach((name, ip) -> b.append(ip).append('\t').append(name).append('\n'));
        return b.append(END).append('\n').toString();
    }

    /**
     * {@code existing} with the managed block replaced by one for {@code entries}: in place if there was one,
     * else appended; removed if {@code entries} is empty.
     *
     * @throws IllegalStateException if a BEGIN line has no END line (someone edited the file; we will not guess)
     */
    public static String apply(String existing, Map<String, String> entries) {
        List<String> lines = existing.isEmpty() ? new ArrayList<>()
                : new ArrayList<>(Arrays.asList(existing.split("\n", -1)));
        boolean trailingNewline = existing.endsWith("\n");
        if (trailingNewline) {
            lines.remove(lines.size() - 1);
        }
        List<String> out = new ArrayList<>();
        int insertAt = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (isBegin(lines.get(i))) {
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).strip().equals(END)) {
                    end++;
                }
                if (end == lines.size()) {
                    throw new IllegalStateException("/etc/hosts has '" + BEGIN + "' on line " + (i + 1)
                            + " but no '" + END + "' after it; remove the partial block and run again");
                }
                if (insertAt < 0) {
                    insertAt = out.size();
                }
                i = end;
            } else {
                out.add(lines.get(i));
            }
        }
        String block = render(entries);
        List<String> blockLines = block.isEmpty() ? List.of() : List.of(block.substring(0, block.length() - 1).split("\n"));
        if (insertAt < 0) {
            insertAt = out.size();
        }
        out.addAll(insertAt, blockLines);
        if (out.isEmpty()) {
            return "";
        }
        boolean endsWithNewline = trailingNewline || !blockLines.isEmpty();
        return String.join("\n", out) + (endsWithNewline ? "\n" : "");
    }

    /** Lines outside the block that also name one of {@code names}: the resolver may answer with them instead. */
    public static List<String> foreignEntries(String existing, Set<String> names) {
        List<String> found = new ArrayList<>();
        boolean inBlock = false;
        for (String line : existing.split("\n")) {
            if (isBegin(line)) {
                inBlock = true;
            } else if (line.strip().equals(END)) {
                inBlock = false;
            } else if (!inBlock) {
                String content = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
                String[] fields = content.trim().split("\\s+");
                for (int i = 1; i < fields.length; i++) {
                    if (names.contains(fields[i].toLowerCase(java.util.Locale.ROOT))) {
                        found.add(line);
                        break;
                    }
                }
            }
        }
        return found;
    }

    private static boolean isBegin(String line) {
        String s = line.strip();
        return s.equals(BEGIN) || s.startsWith(BEGIN + " ");
    }
}
