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

    /** Like {@link #hostile}, with {@code before} written ahead of manifest.json. */
    private Path headFirst(TestBundles.Entries before) throws Exception {
        byte[] json = TestBundles.manifest(Map.of("bin/a", hello)).toJson();
        Path out = tmp.resolve("head.tar");
        try (var file = Files.newOutputStream(out);
             var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(file)) {
            before.write(tar);
            TestBundles.file(tar, "manifest.json", json);
            TestBundles.file(tar, "manifest.sig", BundleSignature.sign(key.getPrivate(), json));
            TestBundles.file(tar, "bin/a", hello);
            tar.finish();
        }
        return out;
    }

    /** 1 MiB of PAX attributes before manifest.json: the old reader held it all (1.5 GB of it ran it out of memory). */
    @Test
    void paxHeaderOverTheBoundBeforeTheManifest() throws Exception {
        byte[] records = TestBundles.paxRecord("comment", "a".repeat(1 << 20));
        refused(headFirst(tar -> TestBundles.pax(tar, TarArchiveEntry.LF_PAX_EXTENDED_HEADER_LC, records)),
                "tar header 1 announces " + records.length + " bytes of PAX attributes; at most 65536 are read");
    }

    @Test
    void gnuLongNameOverTheBound() throws Exception {
        byte[] name = ("bin/" + "a".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
        refused(headFirst(tar -> TestBundles.longName(tar, name)),
                "tar header 1 announces 100004 bytes of GNU long name; at most 65536 are read");
        refused(hostile(tar -> {
            TestBundles.longName(tar, name);
            TestBundles.file(tar, "bin/a", hello);
        }), "tar header 3 announces 100004 bytes of GNU long name");
    }

    @Test
    void aPaxHeaderWithinTheBoundStillReads() throws Exception {
        Path ok = headFirst(tar -> TestBundles.pax(tar, TarArchiveEntry.LF_PAX_EXTENDED_HEADER_LC,
                TestBundles.paxRecord("comment", "a".repeat(60_000))));
        assertEquals(1, new BundleReader(key.getPublic(), false, BundleProgress.NONE).verify(ok).files().size());
    }

    @Test
    void globalPaxHeadersSparseKeysAndRunsOfHeaders() throws Exception {
        refused(headFirst(tar -> {
            // commons-compress writes a global header's records itself, from the entry's PAX headers
            TarArchiveEntry global = new TarArchiveEntry("GlobalHead", TarArchiveEntry.LF_PAX_GLOBAL_EXTENDED_HEADER, true);
            global.addPaxHeader("comment", "x");
            tar.putArchiveEntry(global);
        }), "tar header 1 is a global PAX header");
        // PAX 1.0 sparse: commons-compress would read a sparse map of any length from the data that follows
        byte[] sparse = concat(TestBundles.paxRecord("GNU.sparse.major", "1"), TestBundles.paxRecord("GNU.sparse.minor", "0"),
                TestBundles.paxRecord("GNU.sparse.realsize", "6"));
        refused(hostile(tar -> {
            TestBundles.pax(tar, TarArchiveEntry.LF_PAX_EXTENDED_HEADER_LC, sparse);
            TestBundles.file(tar, "bin/a", "1\n0\n6\nhello\n".getBytes(StandardCharsets.UTF_8));
        }), "tar header 3 carries GNU.sparse PAX attributes (a sparse file)");
        byte[] one = TestBundles.paxRecord("comment", "x");
        refused(headFirst(tar -> {
            for (int i = 0; i < 4; i++) {
                TestBundles.pax(tar, TarArchiveEntry.LF_PAX_EXTENDED_HEADER_LC, one);
            }
        }), "tar header 4 is the 4th extended header in a row; at most 3 may precede an entry");
    }

    @Test
    void manifestJsonOverEightMiBIsRefusedBeforeItIsRead() throws Exception {
        byte[] json = new byte[(8 << 20) + 1];
        Arrays.fill(json, (byte) ' ');
        Path big = TestBundles.archive(tmp.resolve("big.tar"), json, key.getPrivate(), tar -> { });
        refused(big, "entry 'manifest.json' is larger than 8388608 bytes");
    }

    /** Unsigned (skipping the signature), 7 MiB of "{}" would be 2.4 million maps: refused after 400,000 values. */
    @Test
    void aManifestOfMillionsOfValuesIsRefused() throws Exception {
        String json = "{\"files\":[" + "{},".repeat(7 << 18) + "{}]}";
        Path many = TestBundles.archive(tmp.resolve("many.tar"), json.getBytes(StandardCharsets.UTF_8), key.getPrivate(),
                tar -> { });
        BundleException e = assertThrows(BundleException.class,
                () -> new BundleReader(null, true, BundleProgress.NONE).verify(many));
        assertTrue(e.getMessage().contains("manifest.json is not valid JSON: more than 400000 values"), e.getMessage());
    }

    @Test
    void aZstdWindowOverSixteenMiBIsRefused() throws Exception {
        Path staging = TestBundles.staging(tmp.resolve("staging"));
        Path plain = tmp.resolve("plain.tar");
        new BundleWriter(Compression.NONE).write(staging, TestBundles.METADATA, key.getPrivate(), plain);
        Path wide = tmp.resolve("wide.tar.zst");
        try (var out = Files.newOutputStream(wide);
             var z = new com.github.luben.zstd.ZstdOutputStreamNoFinalizer(out, 3).setWindowLog(27).setLong(27)) {
            z.write(Files.readAllBytes(plain));
        }
        StagingDirectory.delete(staging);
        Files.delete(plain);
        refused(wide, "Frame requires too much memory for decoding");
    }

    /** manifest.json listing {@code paths} (each holding {@code hello}) in the given order, as a hostile signer writes it. */
    private byte[] manifestOf(String... paths) throws Exception {
        StringBuilder files = new StringBuilder();
        for (String p : paths) {
            files.append(files.length() == 0 ? "" : ",").append("{\"path\":\"").append(p).append("\",\"sha256\":\"")
                    .append(TestBundles.sha256(hello)).append("\",\"size\":").append(hello.length).append("}");
        }
        return ("{\"arch\":\"amd64\",\"created\":\"" + TestBundles.CREATED + "\",\"files\":[" + files
                + "],\"format\":1,\"images\":[],\"kubernetesVersion\":\"1.33.4\"}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A signed manifest whose paths cannot all be files: verify used to pass it while extract failed with "truncated
     * or corrupt". Both now refuse it with the same message, from the manifest, before any entry is read.
     */
    @Test
    void conflictingManifestPathsAreRefusedByVerifyAndExtractAlike() throws Exception {
        String[][] cases = {
            {"bin", "bin/kubeadm", "manifest file 'bin' is also a directory of 'bin/kubeadm'"},
            {"bin/kubeadm", "bin/kubeadm/x", "manifest file 'bin/kubeadm' is also a directory of 'bin/kubeadm/x'"},
            {"BIN", "bin/kubeadm", "manifest file 'BIN' is also a directory of 'bin/kubeadm'"},
            {"bin/Kubeadm", "bin/kubeadm", "manifest files 'bin/Kubeadm' and 'bin/kubeadm' differ only in letter case"},
            {"bin/a", "bin/a", "manifest files are not sorted and unique at 'bin/a'"},
            {".kubestead-extracted", "bin/a", "manifest file '.kubestead-extracted': the name '.kubestead-extracted' is reserved"},
            {"bin/a", "manifest.json/x", "manifest file 'manifest.json/x': the name 'manifest.json' is reserved"},
        };
        for (String[] c : cases) {
            byte[] json = manifestOf(c[0], c[1]);
            Path bundle = TestBundles.archive(tmp.resolve("conflict.tar"), json, key.getPrivate(), tar -> {
                TestBundles.file(tar, c[0], hello);
                TestBundles.file(tar, c[1], hello);
            });
            BundleReader reader = new BundleReader(key.getPublic(), false, BundleProgress.NONE);
            BundleException v = assertThrows(BundleException.class, () -> reader.verify(bundle), c[2]);
            BundleException e = assertThrows(BundleException.class, () -> reader.extract(bundle, tmp.resolve("target")));
            assertEquals("bundle conflict.tar: " + c[2], v.getMessage());
            assertEquals(v.getMessage(), e.getMessage());
            assertTrue(Files.notExists(tmp.resolve("target")));
            Files.delete(bundle);
        }
        assertEquals(List.of(), TestBundles.names(tmp), "no staging directory left");
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
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
