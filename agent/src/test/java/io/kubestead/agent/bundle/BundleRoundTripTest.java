package io.kubestead.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.spec.SpecException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BundleRoundTripTest {
    @TempDir
    Path tmp;

    private final KeyPair key = TestBundles.key();

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZSTD", "GZIP"})
    void extractsWhatWasPackedWithModesAndManifest(Compression compression) throws Exception {
        Path staging = TestBundles.staging(tmp.resolve("staging"));
        Path bundle = tmp.resolve("b" + compression.extension());
        BundleManifest written = new BundleWriter(compression).write(staging, TestBundles.METADATA, key.getPrivate(), bundle);
        assertEquals(List.of("bin/kubeadm", "containerd/bin/ctr", "images/pause.tar", "manifests/flannel.yaml",
                "systemd/empty.conf"), written.files().stream().map(BundleManifest.FileEntry::path).toList());

        List<long[]> updates = new ArrayList<>();
        Path target = tmp.resolve("out");
        BundleManifest read = new BundleReader(key.getPublic(), false, (d, t) -> updates.add(new long[] {d, t}))
                .extract(bundle, target);

        assertEquals(written, read);
        for (BundleManifest.FileEntry f : written.files()) {
            assertArrayEquals(Files.readAllBytes(staging.resolve(f.path())), Files.readAllBytes(target.resolve(f.path())), f.path());
        }
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("bin/kubeadm"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("images/pause.tar"))));
        assertArrayEquals(written.toJson(), Files.readAllBytes(target.resolve("manifest.json")));
        assertEquals(64, Files.size(target.resolve("manifest.sig")));
        long[] last = updates.get(updates.size() - 1);
        assertEquals(written.totalBytes(), last[0]);
        assertEquals(written.totalBytes(), last[1]);
        assertEquals(List.of("b" + compression.extension(), "out", "staging"), TestBundles.names(tmp), "no staging left over");
    }

    @Test
    void sameInputsGiveByteIdenticalBundlesAndAnExtractedBundleRepacksToTheSameBytes() throws Exception {
        Path a = TestBundles.staging(tmp.resolve("a"));
        Path b = TestBundles.staging(tmp.resolve("b"));
        Files.setLastModifiedTime(b.resolve("bin/kubeadm"), FileTime.fromMillis(12345));
        BundleWriter writer = new BundleWriter(Compression.ZSTD);
        writer.write(a, TestBundles.METADATA, key.getPrivate(), tmp.resolve("1.tar.zst"));
        writer.write(b, TestBundles.METADATA, key.getPrivate(), tmp.resolve("2.tar.zst"));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("1.tar.zst")), Files.readAllBytes(tmp.resolve("2.tar.zst")));

        Path extracted = tmp.resolve("x");
        BundleManifest m = new BundleReader(key.getPublic(), false, BundleProgress.NONE)
                .extract(tmp.resolve("1.tar.zst"), extracted);
        writer.write(extracted, BundleWriter.Metadata.of(m), key.getPrivate(), tmp.resolve("3.tar.zst"));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("1.tar.zst")), Files.readAllBytes(tmp.resolve("3.tar.zst")));
    }

    @Test
    void gnuTarReadsOurBundlesWithManifestFirst() throws Exception {
        Path staging = TestBundles.staging(tmp.resolve("staging"));
        new BundleWriter(Compression.ZSTD).write(staging, TestBundles.METADATA, key.getPrivate(), tmp.resolve("b.tar.zst"));
        new BundleWriter(Compression.GZIP).write(staging, TestBundles.METADATA, key.getPrivate(), tmp.resolve("b.tar.gz"));
        String zst = run("tar", "--zstd", "-tvf", tmp.resolve("b.tar.zst").toString());
        String gz = run("tar", "-tzvf", tmp.resolve("b.tar.gz").toString());
        assertEquals(zst, gz);
        List<String> lines = zst.lines().toList();
        assertTrue(lines.get(0).matches("-rw-r--r-- root/root .* 2026-01-01 00:00 manifest\\.json"), lines.get(0));
        assertTrue(lines.get(1).endsWith(" manifest.sig"), lines.get(1));
        assertTrue(lines.get(2).matches("-rwxr-xr-x root/root .* bin/kubeadm"), lines.get(2));
        Path out = Files.createDirectory(tmp.resolve("gnu"));
        run("tar", "--zstd", "-xf", tmp.resolve("b.tar.zst").toString(), "-C", out.toString());
        assertArrayEquals(Files.readAllBytes(staging.resolve("images/pause.tar")), Files.readAllBytes(out.resolve("images/pause.tar")));
        String verified = run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey",
                Files.write(tmp.resolve("k.pub"), BundleSignature.publicKeyPem(key.getPublic())).toString(),
                "-rawin", "-in", out.resolve("manifest.json").toString(), "-sigfile", out.resolve("manifest.sig").toString());
        assertTrue(verified.contains("Signature Verified Successfully"), verified);
    }

    @Test
    void replacesAnEarlierExtractedBundleButNoOtherDirectory() throws Exception {
        Path staging = TestBundles.staging(tmp.resolve("staging"));
        Path bundle = tmp.resolve("b.tar.zst");
        new BundleWriter(Compression.ZSTD).write(staging, TestBundles.METADATA, key.getPrivate(), bundle);
        BundleReader reader = new BundleReader(key.getPublic(), false, BundleProgress.NONE);
        Path target = tmp.resolve("bundle");
        reader.extract(bundle, target);
        Files.writeString(target.resolve("stale"), "from before");
        reader.extract(bundle, target);
        assertTrue(Files.notExists(target.resolve("stale")));
        assertTrue(Files.isRegularFile(target.resolve("bin/kubeadm")));

        Path other = Files.createDirectories(tmp.resolve("usr"));
        Files.writeString(other.resolve("keep"), "mine");
        SpecException e = assertThrows(SpecException.class, () -> reader.extract(bundle, other));
        assertTrue(e.getMessage().contains("is not a bundle extracted earlier"), e.getMessage());
        assertEquals(List.of("keep"), TestBundles.names(other));
    }

    @Test
    void unsignedBundleIsAcceptedOnlyWhenSkippingTheSignature() throws Exception {
        Path staging = TestBundles.staging(tmp.resolve("staging"));
        Path bundle = tmp.resolve("b.tar.gz");
        new BundleWriter(Compression.GZIP).write(staging, TestBundles.METADATA, null, bundle);
        BundleException e = assertThrows(BundleException.class,
                () -> new BundleReader(key.getPublic(), false, BundleProgress.NONE).verify(bundle));
        assertEquals("bundle b.tar.gz: unsigned (no manifest.sig after manifest.json); sign it with 'installer sign'"
                + " or accept it with insecure-skip-bundle-signature", e.getMessage());
        BundleManifest m = new BundleReader(null, true, BundleProgress.NONE).extract(bundle, tmp.resolve("out"));
        assertEquals(5, m.files().size());
        assertTrue(Files.notExists(tmp.resolve("out/manifest.sig")));
    }

    @Test
    void manifestJsonIsCanonicalAndParsesBack() throws Exception {
        BundleManifest m = TestBundles.manifest(java.util.Map.of("b/x", new byte[] {1}, "a", new byte[0]));
        String json = new String(m.toJson(), StandardCharsets.UTF_8);
        assertEquals("{\"arch\":\"amd64\",\"created\":\"2026-01-01T00:00:00Z\",\"files\":[{\"path\":\"a\",\"sha256\":"
                + "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\",\"size\":0},{\"path\":\"b/x\","
                + "\"sha256\":\"4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a\",\"size\":1}],"
                + "\"format\":1,\"images\":[],\"kubernetesVersion\":\"1.33.4\"}", json);
        assertEquals(m, BundleManifest.parse(m.toJson()));
        BundleException e = assertThrows(BundleException.class,
                () -> BundleManifest.parse(json.replace("\"path\":\"a\"", "\"path\":\"../a\"").getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("'../a'"), e.getMessage());
        e = assertThrows(BundleException.class, () -> BundleManifest.parse(json.replace("\"format\":1", "\"format\":4294967297")
                .getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("format"), e.getMessage());
    }

    @Test
    void manifestParsingRefusesDuplicatesDepthTrailingDataAndWrongTypes() throws Exception {
        String json = new String(TestBundles.manifest(java.util.Map.of("a", new byte[] {1})).toJson(), StandardCharsets.UTF_8);
        java.util.function.Function<String, String> refusal = text -> assertThrows(BundleException.class,
                () -> BundleManifest.parse(text.getBytes(StandardCharsets.UTF_8))).getMessage();
        assertTrue(refusal.apply(json.replace("{\"arch\":\"amd64\",", "{\"arch\":\"amd64\",\"arch\":\"arm64\","))
                .contains("Duplicate field 'arch'"));
        assertTrue(refusal.apply(json + " {}").startsWith("manifest.json is not valid JSON"));
        assertTrue(refusal.apply(json.replace("\"images\":[]", "\"images\":[[[[[[[[[]]]]]]]]]")).startsWith("manifest.json is not valid JSON"));
        assertEquals("manifest.json is not a JSON object", refusal.apply("[]"));
        assertEquals("manifest.json is not a JSON object", refusal.apply(""));
        assertEquals("manifest.json: 'size' is missing or not an integer", refusal.apply(json.replace("\"size\":1", "\"size\":1.5")));
        assertEquals("manifest.json: 'size' is missing or not an integer", refusal.apply(json.replace("\"size\":1", "\"size\":\"1\"")));
        assertEquals("manifest.json: 'path' is missing or not a string", refusal.apply(json.replace("\"files\":[{", "\"files\":[7,{")));
        assertEquals("manifest.json: 'images' is missing or not an array", refusal.apply(json.replace("\"images\":[]", "\"images\":{}")));
        // An integral number in another spelling is the same number.
        assertEquals(1, BundleManifest.parse(json.replace("\"size\":1", "\"size\":1.0").getBytes(StandardCharsets.UTF_8))
                .files().get(0).size());
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }
}
