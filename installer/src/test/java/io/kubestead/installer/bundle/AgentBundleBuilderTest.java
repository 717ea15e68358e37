package io.kubestead.installer.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentBundleBuilderTest {

    private static final Instant MTIME = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path tmp;

    private BundleInputs inputs;

    @BeforeEach
    void fakeBuildOutputs() throws IOException {
        Path agent = Files.createDirectories(tmp.resolve("agent/target"));
        Path lib = Files.createDirectories(agent.resolve("lib"));
        write(agent.resolve("kubestead-agent-1.2.3.jar"), "agent", 0644);
        write(lib.resolve("picocli.jar"), "picocli", 0644);
        write(lib.resolve("jackson.jar"), "jackson", 0600);
        Path runtime = Files.createDirectories(tmp.resolve("runtime"));
        write(Files.createDirectories(runtime.resolve("bin")).resolve("java"), "#!java", 0755);
        write(Files.createDirectories(runtime.resolve("lib")).resolve("modules"), "modules", 0444);
        Path legal = Files.createDirectories(runtime.resolve("legal/java.base"));
        write(legal.resolve("LICENSE"), "GPLv2+CE", 0644);
        Path logging = Files.createDirectories(runtime.resolve("legal/java.logging"));
        Files.createSymbolicLink(logging.resolve("LICENSE"), Path.of("../java.base/LICENSE"));
        Path launcher = write(tmp.resolve("kubestead"), "#!/usr/bin/env bash\n", 0755);
        Path script = write(tmp.resolve("install.sh"), "#!/usr/bin/env bash\nKUBESTEAD_BASE_URL=\"\"\n", 0644);
        inputs = new BundleInputs("1.2.3", "amd64", agent.resolve("kubestead-agent-1.2.3.jar"), lib, runtime,
                launcher, script, MTIME);
    }

    @Test
    void twoBuildsAreByteIdenticalEvenWhenInputTimesDiffer() throws IOException {
        Path first = new AgentBundleBuilder(inputs).build(tmp.resolve("dist1"));
        try (var walk = Files.walk(tmp.resolve("runtime"))) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2030-05-05T05:05:05Z")));
            }
        }
        Path second = new AgentBundleBuilder(inputs).build(tmp.resolve("dist2"));
        assertEquals("kubestead-agent-1.2.3-linux-amd64.tar.gz", first.getFileName().toString());
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        assertEquals(Files.readString(tmp.resolve("dist1/SHA256SUMS")), Files.readString(tmp.resolve("dist2/SHA256SUMS")));
    }

    @Test
    void entriesAreSortedOwnedByRootWithFixedTimesAndKeptModes() throws IOException {
        Path bundle = new AgentBundleBuilder(inputs).build(tmp.resolve("dist"));
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (InputStream in = new GzipCompressorInputStream(Files.newInputStream(bundle));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                entries.put(e.getName(), e);
            }
        }
        List<String> names = new ArrayList<>(entries.keySet());
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);
        assertEquals(sorted, names);
        assertTrue(names.containsAll(List.of("VERSION", "bin/kubestead", "install.sh", "lib/kubestead-agent-1.2.3.jar",
                "lib/picocli.jar", "lib/jackson.jar", "runtime/bin/java", "runtime/lib/modules")), names.toString());
        for (TarArchiveEntry e : entries.values()) {
            assertEquals(0, e.getLongUserId(), e.getName());
            assertEquals(0, e.getLongGroupId(), e.getName());
            assertEquals(MTIME, e.getModTime().toInstant(), e.getName());
        }
        assertEquals(0755, entries.get("bin/kubestead").getMode() & 07777);
        assertEquals(0755, entries.get("install.sh").getMode() & 07777);
        assertEquals(0755, entries.get("runtime/bin/java").getMode() & 07777);
        assertEquals(0644, entries.get("runtime/lib/modules").getMode() & 07777);
        assertEquals(0644, entries.get("lib/jackson.jar").getMode() & 07777);
        assertEquals(0755, entries.get("runtime/").getMode() & 07777);
        assertTrue(entries.get("runtime/legal/java.logging/LICENSE").isSymbolicLink());
        assertEquals("../java.base/LICENSE", entries.get("runtime/legal/java.logging/LICENSE").getLinkName());
    }

    @Test
    void gnuTarUnpacksModesAndSha256sumAcceptsTheSums() throws Exception {
        Path dist = tmp.resolve("dist");
        Path bundle = new AgentBundleBuilder(inputs).build(dist);
        Path out = Files.createDirectories(tmp.resolve("out"));
        assertEquals(bundle.getFileName() + ": OK\n", run(dist, "sha256sum", "-c", "SHA256SUMS"));
        assertEquals("", run(out, "tar", "-xzf", bundle.toString()));
        assertTrue(Files.getPosixFilePermissions(out.resolve("bin/kubestead")).contains(PosixFilePermission.OWNER_EXECUTE));
        assertFalse(Files.getPosixFilePermissions(out.resolve("lib/picocli.jar")).contains(PosixFilePermission.OWNER_EXECUTE));
        assertEquals("1.2.3\n", Files.readString(out.resolve("VERSION")));
        assertEquals("GPLv2+CE", Files.readString(out.resolve("runtime/legal/java.logging/LICENSE")));
        assertTrue(Files.isExecutable(dist.resolve("install.sh")));
        assertEquals(Sha256Sums.of(bundle) + "  " + bundle.getFileName() + "\n", Files.readString(dist.resolve("SHA256SUMS")));
    }

    @Test
    void buildReplacesAnOlderBundleForTheSameArch() throws IOException {
        Path dist = Files.createDirectories(tmp.resolve("dist"));
        write(dist.resolve("kubestead-agent-1.0.0-linux-amd64.tar.gz"), "old", 0644);
        write(dist.resolve("kubestead-agent-1.0.0-linux-arm64.tar.gz"), "other arch", 0644);
        new AgentBundleBuilder(inputs).build(dist);
        assertFalse(Files.exists(dist.resolve("kubestead-agent-1.0.0-linux-amd64.tar.gz")));
        assertTrue(Files.exists(dist.resolve("kubestead-agent-1.0.0-linux-arm64.tar.gz")));
        assertEquals(Set.of("kubestead-agent-1.0.0-linux-arm64.tar.gz", "kubestead-agent-1.2.3-linux-amd64.tar.gz",
                "SHA256SUMS", "install.sh"), Set.copyOf(list(dist)));
    }

    @Test
    void archNamesFollowTheBundleConvention() {
        assertEquals("amd64", BundleInputs.archOf("amd64"));
        assertEquals("amd64", BundleInputs.archOf("x86_64"));
        assertEquals("arm64", BundleInputs.archOf("aarch64"));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> BundleInputs.archOf("s390x"));
        assertTrue(e.getMessage().contains("s390x"));
    }

    private static List<String> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** Runs a real program and returns its output; its exit code must be 0. (Inheriting this JVM's stdout would
     *  write into Surefire's channel to the forked test JVM.) */
    private static String run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + output);
        return output;
    }

    private static Path write(Path p, String content, int mode) throws IOException {
        Files.writeString(p, content, StandardCharsets.UTF_8);
        Modes.set(p, mode);
        return p;
    }
}
