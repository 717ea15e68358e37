package io.kubestead.agent.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleMeterTest {
    private static final String NL = System.lineSeparator();

    @Test
    void aTerminalGetsOneBarRedrawnOncePerPercent() {
        StringWriter s = new StringWriter();
        ConsoleMeter m = ConsoleMeter.bar(new PrintWriter(s), "extracting", Meter.Unit.BYTES);
        long total = 200L << 20;
        m.update(0, total);
        m.update(1, total);
        m.update(total / 2, total);
        m.update(total / 2 + 1, total);
        m.update(total, total);
        m.finish();
        assertEquals("\rextracting [..............................]   0% 0 B of 200.0 MiB"
                + "\rextracting [###############...............]  50% 100.0 MiB of 200.0 MiB"
                + "\rextracting [##############################] 100% 200.0 MiB of 200.0 MiB" + NL, s.toString());
    }

    @Test
    void aShorterNoteOnATerminalBlanksWhatTheLongerOneLeft() {
        StringWriter s = new StringWriter();
        ConsoleMeter m = ConsoleMeter.bar(new PrintWriter(s), "images", Meter.Unit.ITEMS);
        m.update(0, 2, "registry.k8s.io/kube-apiserver:v1.33.4: importing");
        m.update(1, 2, "pause:3.10: importing");
        m.finish(); // stopped short (a failure): the line ends where the bar stopped
        String first = "images [..............................]   0% 0/2 registry.k8s.io/kube-apiserver:v1.33.4: importing";
        String second = "images [###############...............]  50% 1/2 pause:3.10: importing";
        assertEquals("\r" + first + "\r" + second + " ".repeat(first.length() - second.length()) + NL, s.toString());
    }

    @Test
    void elsewhereAPlainLineEveryStepAndForEachNewNote() {
        List<String> lines = new ArrayList<>();
        ConsoleMeter m = ConsoleMeter.lines(lines::add, "verifying", Meter.Unit.BYTES, 10);
        for (long done = 0; done <= 1000; done += 5) {
            m.update(done << 20, 1000L << 20);
        }
        m.finish();
        assertEquals(11, lines.size(), lines.toString());
        assertEquals("verifying   0% 0 B of 1000.0 MiB", lines.get(0));
        assertEquals("verifying  50% 500.0 MiB of 1000.0 MiB", lines.get(5));
        assertEquals("verifying 100% 1000.0 MiB of 1000.0 MiB", lines.get(10));
        assertFalse(String.join("", lines).contains("\r"));

        List<String> items = new ArrayList<>();
        ConsoleMeter images = ConsoleMeter.lines(items::add, "images", Meter.Unit.ITEMS, 10);
        images.update(0, 3, "a: importing");
        images.update(1, 3, "b: already in containerd");
        images.update(2, 3, "c: importing");
        images.update(3, 3);
        images.finish();
        assertEquals(List.of("images   0% 0/3 a: importing", "images  33% 1/3 b: already in containerd",
                "images  66% 2/3 c: importing", "images 100% 3/3"), items);
    }

    @Test
    void anUnknownTotalShowsTheStartAndTheEndInALogNothingToDoSaysSoAndARefusedStepNothing() {
        List<String> lines = new ArrayList<>();
        ConsoleMeter m = ConsoleMeter.lines(lines::add, "download", Meter.Unit.BYTES, 25);
        for (long done = 0; done <= 5L << 20; done += 1 << 16) {
            m.update(done, -1);
        }
        m.finish();
        assertEquals(List.of("download 0 B", "download 5.0 MiB"), lines);

        List<String> none = new ArrayList<>();
        ConsoleMeter empty = ConsoleMeter.lines(none::add, "images", Meter.Unit.ITEMS, 10);
        empty.update(0, 0);
        empty.finish();
        assertEquals(List.of("images 100% 0/0"), none);

        List<String> refused = new ArrayList<>();
        StringWriter bar = new StringWriter();
        ConsoleMeter.lines(refused::add, "verifying", Meter.Unit.BYTES, 10).finish();
        ConsoleMeter.bar(new PrintWriter(bar), "verifying", Meter.Unit.BYTES).finish();
        assertEquals(List.of(), refused, "a step that never started shows nothing");
        assertEquals("", bar.toString());
    }
}
