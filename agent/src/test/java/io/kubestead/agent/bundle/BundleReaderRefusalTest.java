package io.kubestead.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal: a one-line error naming the entry, the target not created, nothing left beside it. */
class BundleReaderRefusalTest {
    @TempDir
    Path tmp;

    private final KeyPair key = TestBundles.key();
    private final byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);

    /** A manifest listing bin/a with {@code hello}; the archive holds whatever {@code entries} writes. */
    private Path hostile(TestBundles.Entries entries) throws Exception {
        byte[] json = TestBundles.manifest(Map.of("bin/a", hello)).toJson();
        return TestBundles.archive(tmp.resolve("hostile.tar"), json, key.getPrivate(), entries);
    }

    /** Refused by both verify and extract with a message containing {@code expected}; the target never appears. */
    private void refused(Path bundle, String expected) throws Exception {
        BundleReader reader = new BundleReader(key.getPublic(), false, BundleProgress.NONE);
        BundleException v = assertThrows(BundleException.class, () -> reader.verify(bundle));
        assertTrue(v.getMessage().contains(expected), v.getMessage());
        List<String> before = TestBundles.names(tmp);
        BundleException e = assertThrows(BundleException.class, () -> reader.extract(bundle, tmp.resolve("target")));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith("bundle " + bundle.getFileName() + ": "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
        assertEquals(before, TestBundles.names(tmp), "nothing created beside the target");
    }

    @Test
    void parentTraversal() throws Exception {
        refused(hostile(tar -> {
            TestBundles.file(tar, "bin/a", hello);
            TestBundles.file(tar, "../evil", hello);
        }), "entry '../evil': path leaves the target directory (..)");
        refused(hostile(tar -> TestBundles.file(tar, "bin/../../evil", hello)), "entry 'bin/../../evil': path leaves");
    }

    @Test
    void absolutePath() throws Exception {
        refused(hostile(tar -> TestBundles.file(tar, "/etc/evil", hello)), "entry '/etc/evil': absolute path");
    }

    @Test
    void symbolicLinkLeavingTheTarget() throws Exception {
        refused(hostile(tar -> TestBundles.special(tar, "bin/a", TarArchiveEntry.LF_SYMLINK, "/etc/shadow")),
                "entry 'bin/a' is a symbolic link to '/etc/shadow'; bundles may not hold links");
    }

    @Test
    void hardLink() throws Exception {
        refused(hostile(tar -> TestBundles.special(tar, "bin/a", TarArchiveEntry.LF_LINK, "../../etc/passwd")),
                "entry 'bin/a' is a hard link to '../../etc/passwd'");
    }

    @Test
    void characterDeviceAndFifo() throws Exception {
        refused(hostile(tar -> TestBundles.special(tar, "bin/a", TarArchiveEntry.LF_CHR, null)),
                "entry 'bin/a' is a device file or FIFO");
        refused(hostile(tar -> TestBundles.special(tar, "bin/a", TarArchiveEntry.LF_FIFO, null)),
                "entry 'bin/a' is a device file or FIFO");
    }

    @Test
    void duplicateEntry() throws Exception {
        refused(hostile(tar -> {
            TestBundles.file(tar, "bin/a", hello);
            TestBundles.file(tar, "bin/a", hello);
        }), "entry 'bin/a' appears twice in the archive");
    }

    @Test
    void entryLargerThanTheManifestSays() throws Exception {
        byte[] more = "hello, and a lot more\n".getBytes(StandardCharsets.UTF_8);
        refused(hostile(tar -> TestBundles.file(tar, "bin/a", more)), "entry 'bin/a' is larger (22 bytes) than the manifest says (6)");
    }

    @Test
    void entryNotInTheManifest() throws Exception {
        refused(hostile(tar -> {
            TestBundles.file(tar, "bin/a", hello);
            TestBundles.file(tar, "bin/extra", hello);
        }), "entry 'bin/extra' is not in the manifest");
    }

    @Test
    void fileMissingFromTheArchive() throws Exception {
        refused(hostile(tar -> { }), "entry 'bin/a' is listed in the manifest but missing from the archive");
    }

    @Test
    void alteredContent() throws Exception {
        refused(hostile(tar -> TestBundles.file(tar, "bin/a", "HELLO\n".getBytes(StandardCharsets.UTF_8))),
                "entry 'bin/a' does not match its SHA-256 in the manifest");
    }

    @Test
    void skippingTheSignatureStillChecksEveryFile() throws Exception {
        Path bad = hostile(tar -> TestBundles.file(tar, "bin/a", "HELLO\n".getBytes(StandardCharsets.UTF_8)));
        BundleException e = assertThrows(BundleException.class,
                () -> new BundleReader(null, true, BundleProgress.NONE).extract(bad, tmp.resolve("target")));
        assertTrue(e.getMessage().contains("entry 'bin/a' does not match its SHA-256"), e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("target")));
    }

    @Test
    void alteredManifestAndWrongKey() throws Exception {
        Path staging = TestBundles.staging(tmp.resolve("staging"));
        BundleManifest m = BundleWriter.scan(staging, TestBundles.METADATA);
        Path wrongKey = tmp.resolve("wrong.tar.zst");
        new BundleWriter(Compression.ZSTD).write(staging, m, TestBundles.key().getPrivate(), wrongKey);
        refused(wrongKey, "manifest.sig does not verify with the trusted key");
        Files.delete(wrongKey);

        // The manifest is re-written to match altered content, but the signature is the one over the original.
        byte[] original = m.toJson();
        Files.write(staging.resolve("bin/kubeadm"), "#!/bin/sh\nevil\n".getBytes(StandardCharsets.UTF_8));
        BundleManifest altered = BundleWriter.scan(staging, TestBundles.METADATA);
        Path tampered = TestBundles.archive(tmp.resolve("tampered.tar"), altered.toJson(), key.getPrivate(), tar -> { });
        // Re-sign the archive's second entry with the original manifest's signature.
        byte[] bytes = Files.readAllBytes(tampered);
        byte[] goodSig = BundleSignature.sign(key.getPrivate(), original);
        byte[] newSig = BundleSignature.sign(key.getPrivate(), altered.toJson());
        int at = indexOf(bytes, newSig);
        System.arraycopy(goodSig, 0, bytes, at, goodSig.length);
        Files.write(tampered, bytes);
        StagingDirectory.delete(staging);
        refused(tampered, "manifest.sig does not verify with the trusted key");
    }

    @Test
    void truncatedArchives() throws Exception {
        Path staging = TestBundles.staging(tmp.resolve("staging"));
        for (Compression c : List.of(Compression.ZSTD, Compression.GZIP)) {
            Path whole = tmp.resolve("whole" + c.extension());
            new BundleWriter(c).write(staging, TestBundles.METADATA, key.getPrivate(), whole);
            byte[] bytes = Files.readAllBytes(whole);
            Files.delete(whole);
            // Cut inside images/pause.tar (300 KB of random data: stored nearly as is).
            Path cut = Files.write(tmp.resolve("cut" + c.extension()), Arrays.copyOf(bytes, bytes.length / 2));
            refused(cut, "truncated");
            Files.delete(cut);
        }
    }

    @Test
    void aFailedExtractionLeavesAnEarlierBundleUntouched() throws Exception {
        Path staging = TestBundles.staging(tmp.resolve("staging"));
        Path good = tmp.resolve("good.tar.zst");
        new BundleWriter(Compression.ZSTD).write(staging, TestBundles.METADATA, key.getPrivate(), good);
        BundleReader reader = new BundleReader(key.getPublic(), false, BundleProgress.NONE);
        Path target = tmp.resolve("bundle");
        reader.extract(good, target);
        List<String> before = TestBundles.names(target);
        Path bad = hostile(tar -> TestBundles.file(tar, "bin/a", "HELLO\n".getBytes(StandardCharsets.UTF_8)));
        assertThrows(BundleException.class, () -> reader.extract(bad, target));
        assertEquals(before, TestBundles.names(target));
        assertEquals(List.of("bundle", "good.tar.zst", "hostile.tar", "staging"), TestBundles.names(tmp));
    }

    @Test
    void directoryEntriesOnlyForDirectoriesTheManifestUses() throws Exception {
        Path ok = hostile(tar -> {
            TestBundles.special(tar, "bin/", TarArchiveEntry.LF_DIR, null);
            TestBundles.file(tar, "bin/a", hello);
        });
        Path target = tmp.resolve("target");
        new BundleReader(key.getPublic(), false, BundleProgress.NONE).extract(ok, target);
        assertEquals(List.of(".kubestead-extracted", "bin", "manifest.json", "manifest.sig"), TestBundles.names(target));
        StagingDirectory.delete(target);
        Files.delete(ok);
        refused(hostile(tar -> {
            TestBundles.special(tar, "etc/", TarArchiveEntry.LF_DIR, null);
            TestBundles.file(tar, "bin/a", hello);
        }), "entry 'etc/' is a directory no manifest file is in");
    }

    @Test
    void notABundle() throws Exception {
        Path junk = Files.write(tmp.resolve("junk.tar.gz"), "not an archive at all".getBytes(StandardCharsets.UTF_8));
        BundleReader reader = new BundleReader(key.getPublic(), false, BundleProgress.NONE);
        BundleException e = assertThrows(BundleException.class, () -> reader.verify(junk));
        assertTrue(e.getMessage().startsWith("bundle junk.tar.gz: "), e.getMessage());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
