package io.kubestead.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubestead.agent.progress.ConsoleMeter;
import io.kubestead.agent.progress.Meter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packing reports the files' bytes as they go into the archive: plain lines off a terminal. */
class BundleWriterProgressTest {
    @TempDir
    Path tmp;

    @Test
    void packingReportsEveryFileByteOnce() throws Exception {
        Path staging = TestBundles.staging(tmp.resolve("staging"));
        List<String> lines = new ArrayList<>();
        ConsoleMeter meter = ConsoleMeter.lines(lines::add, "packing", Meter.Unit.BYTES, 25);
        BundleManifest m = new BundleWriter(Compression.ZSTD, meter::update)
                .write(staging, TestBundles.METADATA, TestBundles.key().getPrivate(), tmp.resolve("b.tar.zst"));
        meter.finish();
        String total = ConsoleMeter.human(m.totalBytes());
        assertEquals("packing   0% 0 B of " + total, lines.get(0));
        assertEquals("packing 100% " + total + " of " + total, lines.get(lines.size() - 1));
        assertEquals(lines.stream().distinct().toList(), lines, "no line twice");
    }
}
