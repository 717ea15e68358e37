package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
    @Test
    void aTerminalGetsOneRedrawnBarPerPercent() {
        StringWriter s = new StringWriter();
        ProgressPrinter p = new ProgressPrinter(new PrintWriter(s), "extracting", true);
        long total = 200L << 20;
        p.update(0, total);
        p.update(1, total);
        p.update(total / 2, total);
        p.update(total, total);
        assertEquals("\rextracting [..............................]   0% 0/200 MiB"
                + "\rextracting [###############...............]  50% 100/200 MiB"
                + "\rextracting [##############################] 100% 200/200 MiB" + System.lineSeparator(), s.toString());
    }

    @Test
    void elsewhereALineEveryTenPercent() {
        StringWriter s = new StringWriter();
        ProgressPrinter p = new ProgressPrinter(new PrintWriter(s), "verifying", false);
        for (long done = 0; done <= 1000; done += 5) {
            p.update(done << 20, 1000L << 20);
        }
        assertEquals(11, s.toString().lines().count());
        assertEquals("verifying  50% 500/1000 MiB", s.toString().lines().toList().get(5));
    }
}
