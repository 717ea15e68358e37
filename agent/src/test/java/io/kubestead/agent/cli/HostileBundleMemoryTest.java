package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.bundle.BundleSignature;
import io.kubestead.agent.bundle.HostileBundles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review's reproduction: small zstd bundles whose first tar header, before manifest.json, announces 1.5 GB (a
 * PAX header, a GNU long name), and an unsigned manifest of 2.4 million empty objects. The old reader held each in
 * memory (5 GB of RSS; OutOfMemoryError under 1 GB of heap). A real agent JVM with a 128 MiB heap now refuses each
 * with one line before reading it, its peak RSS (GNU time) under 256 MiB.
 */
class HostileBundleMemoryTest {
    private static final long HUGE = 1_610_612_736L;
    private static final Pattern MAX_RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");

    @TempDir
    Path tmp;

    private final KeyPair key = BundleSignature.generate(new SecureRandom());

    private record Run(int exit, String err, long maxRssKib) {
    }

    private Run kubestead(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-v",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-XX:+UseSerialGC",
                "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        Matcher m = MAX_RSS.matcher(err);
        assertTrue(m.find(), err);
        return new Run(exit, err, Long.parseLong(m.group(1)));
    }

    private void refusedInBoundedMemory(Run run, String line) {
        assertFalse(run.err().contains("OutOfMemoryError") || run.err().contains("Java heap space"), run.err());
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().lines().anyMatch(line::equals), run.err());
        assertTrue(run.maxRssKib() < 256 * 1024, "peak RSS " + run.maxRssKib() + " KiB");
    }

    @Test
    void hugePaxHeaderAndLongNameAreRefusedBeforeTheyAreRead() throws Exception {
        Path pub = Files.write(tmp.resolve("k.pub"), BundleSignature.publicKeyPem(key.getPublic()));
        Path pax = HostileBundles.hugeHeader(tmp.resolve("pax.tar.zst"), (byte) 'x', HUGE, key.getPrivate());
        Path longName = HostileBundles.hugeHeader(tmp.resolve("long.tar.zst"), (byte) 'L', HUGE, key.getPrivate());
        assertTrue(Files.size(pax) < 1 << 20, "a small file: " + Files.size(pax));

        refusedInBoundedMemory(kubestead("bundle", "verify", pax.toString(), "--public-key", pub.toString()),
                "kubestead: bundle pax.tar.zst: tar header 1 announces " + HUGE + " bytes of PAX attributes; at most"
                        + " 65536 are read (not a bundle the installer wrote)");
        refusedInBoundedMemory(kubestead("bundle", "verify", longName.toString(), "--public-key", pub.toString()),
                "kubestead: bundle long.tar.zst: tar header 1 announces " + HUGE + " bytes of GNU long name; at most"
                        + " 65536 are read (not a bundle the installer wrote)");
        refusedInBoundedMemory(kubestead("bundle", "extract", pax.toString(), tmp.resolve("out").toString(),
                "--public-key", pub.toString()), "kubestead: bundle pax.tar.zst: tar header 1 announces " + HUGE
                + " bytes of PAX attributes; at most 65536 are read (not a bundle the installer wrote)");
        assertEquals(List.of("k.pub", "long.tar.zst", "pax.tar.zst"), HostileBundles.names(tmp));
    }

    @Test
    void millionsOfManifestValuesAreRefusedInBoundedMemory() throws Exception {
        Path many = HostileBundles.manyValues(tmp.resolve("many.tar.zst"));
        refusedInBoundedMemory(kubestead("bundle", "verify", many.toString(), "--insecure-skip-bundle-signature"),
                "kubestead: bundle many.tar.zst: manifest.json is not valid JSON: more than 400000 values");
    }
}
