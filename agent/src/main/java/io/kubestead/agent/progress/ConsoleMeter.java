package io.kubestead.agent.progress;

import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * The one way progress is drawn: on a terminal a bar redrawn in place (when the percent or the note changes), in
 * a pipe or CI log a plain line at the start, each {@code step} percent, each new note and the end, so logs stay
 * short and readable. Used by the agent (plan phases, {@code kubestead bundle}) and the installer.
 */
public final class ConsoleMeter implements Meter {
    private static final int WIDTH = 30;

    private final PrintWriter terminal;
    private final Consumer<String> lines;
    private final String label;
    private final Unit unit;
    private final int step;
    private int shownStep = Integer.MIN_VALUE;
    private String shownNote;
    private long done;
    private long total = -1;
    private int drawnLength;
    private boolean open;
    private String lastText;

    private ConsoleMeter(PrintWriter terminal, Consumer<String> lines, String label, Unit unit, int step) {
        this.terminal = terminal;
        this.lines = lines;
        this.label = label;
        this.unit = unit;
        this.step = step;
    }

    /** A bar redrawn in place on {@code out}, a terminal. */
    public static ConsoleMeter bar(PrintWriter out, String label, Unit unit) {
        return new ConsoleMeter(out, null, label, unit, 1);
    }

    /** Plain lines, each handed to {@code lines}, every {@code step} percent (and for each new note). */
    public static ConsoleMeter lines(Consumer<String> lines, String label, Unit unit, int step) {
        return new ConsoleMeter(null, lines, label, unit, Math.max(1, step));
    }

    /** A bar on a terminal, else plain lines on {@code out} every 10 percent. */
    public static ConsoleMeter on(PrintWriter out, String label, Unit unit, boolean isTerminal) {
        return isTerminal ? bar(out, label, unit) : lines(l -> {
            out.println(l);
            out.flush();
        }, label, unit, 10);
    }

    @Override
    public void update(long done, long total, String note) {
        this.done = done;
        this.total = total;
        int percent = percent();
        // unknown totals: a line per MiB would flood a log, so only the start and the end are shown there
        int at = percent >= 0 ? percent / step : terminal != null ? (int) (done >> 20) : 0;
        if (at == shownStep && note.equals(shownNote)) {
            return;
        }
        shownStep = at;
        shownNote = note;
        show(text(note), percent == 100);
    }

    @Override
    public void finish() {
        if (shownNote == null) {
            return; // never started (refused before the first byte): nothing to show
        }
        String text = text(shownNote == null ? "" : shownNote);
        if (!text.equals(lastText)) {
            show(text, true);
        } else if (open) {
            endLine();
        }
    }

    private void show(String text, boolean last) {
        lastText = text;
        if (terminal == null) {
            lines.accept(text);
            return;
        }
        String padded = text.length() < drawnLength ? text + " ".repeat(drawnLength - text.length()) : text;
        terminal.print("\r" + padded);
        drawnLength = text.length();
        open = true;
        if (last) {
            endLine();
        }
        terminal.flush();
    }

    private void endLine() {
        terminal.println();
        terminal.flush();
        open = false;
        drawnLength = 0;
    }

    private String text(String note) {
        int percent = percent();
        StringBuilder sb = new StringBuilder(label);
        if (percent >= 0) {
            if (terminal != null) {
                int filled = percent * WIDTH / 100;
                sb.append(" [").append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append(']');
            }
            sb.append(String.format(" %3d%% ", percent)).append(amount(done)).append(unit == Unit.ITEMS ? "/" : " of ")
                    .append(amount(total));
        } else {
            sb.append(' ').append(amount(done));
        }
        return note.isEmpty() ? sb.toString() : sb.append(' ').append(note).toString();
    }

    private int percent() {
        if (total < 0) {
            return -1;
        }
        return total == 0 ? 100 : (int) Math.min(100, Math.max(0, done) * 100 / total);
    }

    private String amount(long n) {
        return unit == Unit.ITEMS ? Long.toString(n) : human(n);
    }

    /** 512 B, 1.5 KiB, 20.0 MiB, 1.2 GiB. */
    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format("%.1f MiB", bytes / (1024.0 * 1024));
        }
        return String.format("%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
