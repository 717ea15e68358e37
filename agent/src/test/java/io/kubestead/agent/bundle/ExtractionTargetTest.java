package io.kubestead.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.spec.SpecException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What extraction may replace (only its own earlier result) and which staging directories it may remove. */
class ExtractionTargetTest {
    @TempDir
    Path tmp;

    private final KeyPair key = TestBundles.key();
    private BundleReader reader;
    private Path bundle;

    @BeforeEach
    void bundle() throws Exception {
        Path staging = TestBundles.staging(tmp.resolve("staging"));
        bundle = tmp.resolve("good.tar.zst");
        new BundleWriter(Compression.ZSTD).write(staging, TestBundles.METADATA, key.getPrivate(), bundle);
        StagingDirectory.delete(staging);
        reader = new BundleReader(key.getPublic(), false, BundleProgress.NONE);
    }

    /** The review's reproduction: a directory of the user's that holds a manifest.json used to be swapped away. */
    @Test
    void aUsersDirectoryHoldingAManifestJsonIsRefusedAndKept() throws Exception {
        Path app = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(app.resolve("manifest.json"), "{}\n");
        Files.writeString(app.resolve("important.txt"), "data\n");
        SpecException e = assertThrows(SpecException.class, () -> reader.extract(bundle, app));
        assertEquals("target " + app + " is not empty and is not a bundle extracted earlier (no .kubestead-extracted"
                + " matching its manifest.json); give a new or empty directory", e.getMessage());
        assertEquals("data\n", Files.readString(app.resolve("important.txt")));
        assertEquals(List.of("important.txt", "manifest.json"), TestBundles.names(app));
        assertEquals(List.of("app", "good.tar.zst"), TestBundles.names(tmp), "nothing created beside it");
    }

    @Test
    void anEarlierExtractionIsReplacedOnlyWhileItsMarkerMatchesItsManifest() throws Exception {
        Path target = tmp.resolve("bundle");
        reader.extract(bundle, target);
        String marker = Files.readString(target.resolve(".kubestead-extracted"));
        assertEquals(TestBundles.sha256(Files.readAllBytes(target.resolve("manifest.json"))) + "  manifest.json\n", marker);
        String sha256sum = TestBundles.run(target, "sha256sum", "-c", ".kubestead-extracted");
        assertEquals("manifest.json: OK\n", sha256sum, "the marker is sha256sum's format");

        Files.writeString(target.resolve("added"), "from before");
        reader.extract(bundle, target);
        assertTrue(Files.notExists(target.resolve("added")), "an earlier extraction is replaced whole");

        Files.writeString(target.resolve("manifest.json"), "{}");
        assertThrows(SpecException.class, () -> reader.extract(bundle, target), "a marker for another manifest");
        Files.delete(target.resolve(".kubestead-extracted"));
        Files.writeString(target.resolve("manifest.json"), "{}");
        assertThrows(SpecException.class, () -> reader.extract(bundle, target), "no marker");

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        reader.extract(bundle, empty);
        assertTrue(Files.isRegularFile(empty.resolve("bin/kubeadm")));
        Path file = Files.writeString(tmp.resolve("file"), "x");
        SpecException e = assertThrows(SpecException.class, () -> reader.extract(bundle, file));
        assertTrue(e.getMessage().endsWith("exists and is not a directory; give a new or empty directory"), e.getMessage());
    }

    @Test
    void staleStagingDirectoriesAreRemovedAndNoOthers() throws Exception {
        Path parent = Files.createDirectories(tmp.resolve("var"));
        Path target = parent.resolve("bundle");
        // left by a killed run of an agent from before the lock file: a tree only
        TestBundles.write(parent.resolve(".bundle.extract-111/tree"), "bin/kubeadm", new byte[10], true);
        // left by a killed run: its lock free
        TestBundles.write(parent.resolve(".bundle.extract-222/tree"), "bin/kubeadm", new byte[10], true);
        Files.write(parent.resolve(".bundle.extract-222/lock"), new byte[0]);
        // not ours: other content, another name, another target's
        TestBundles.write(parent.resolve(".bundle.extract-333"), "notes.txt", new byte[1], false);
        TestBundles.write(parent.resolve(".bundle.extract-old/tree"), "x", new byte[1], false);
        TestBundles.write(parent.resolve(".other.extract-444/tree"), "x", new byte[1], false);
        // in use by a run still going (in this JVM here; another process's lock is the same fcntl lock)
        StagingDirectory running = new StagingDirectory(target);
        List<String> before = TestBundles.names(parent);

        reader.extract(bundle, target);
        List<String> after = TestBundles.names(parent);
        assertEquals(before.stream().filter(n -> !n.equals(".bundle.extract-111") && !n.equals(".bundle.extract-222"))
                .toList(), after.stream().filter(n -> !n.equals("bundle")).toList());
        assertTrue(after.contains("bundle"));
        running.abort();
        assertEquals(List.of(".bundle.extract-333", ".bundle.extract-old", ".other.extract-444", "bundle"),
                TestBundles.names(parent));
    }
}
