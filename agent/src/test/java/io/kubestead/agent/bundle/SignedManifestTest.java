package io.kubestead.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading only a bundle's signed head: the manifest is believed only with a signature that verifies. */
class SignedManifestTest {
    @TempDir
    Path tmp;

    private Path bundle(KeyPair key, Compression c, String name) throws Exception {
        Path out = tmp.resolve(name + c.extension());
        new BundleWriter(c).write(TestBundles.staging(tmp.resolve("staging-" + name)), TestBundles.METADATA,
                key == null ? null : key.getPrivate(), out);
        return out;
    }

    @Test
    void aSignedBundlesManifestIsReadFromItsHeadInBothCompressions() throws Exception {
        KeyPair key = TestBundles.key();
        for (Compression c : new Compression[] {Compression.ZSTD, Compression.GZIP}) {
            Path b = bundle(key, c, "ok-" + c);
            BundleManifest m = SignedManifest.read(b, key.getPublic(), false);
            assertEquals("1.33.4", m.kubernetesVersion());
            assertEquals(new BundleReader(key.getPublic(), false, BundleProgress.NONE).verify(b), m);
        }
    }

    @Test
    void anotherKeyAnUnsignedBundleAndATruncatedOneAreRefused() throws Exception {
        KeyPair key = TestBundles.key();
        Path other = bundle(TestBundles.key(), Compression.ZSTD, "other");
        var e = assertThrows(BundleException.class, () -> SignedManifest.read(other, key.getPublic(), false));
        assertEquals("bundle other.tar.zst: manifest.sig does not verify with the trusted key (wrong key or altered manifest)",
                e.getMessage());

        Path unsigned = bundle(null, Compression.GZIP, "unsigned");
        e = assertThrows(BundleException.class, () -> SignedManifest.read(unsigned, key.getPublic(), false));
        assertTrue(e.getMessage().startsWith("bundle unsigned.tar.gz: unsigned (no manifest.sig"), e.getMessage());
        assertEquals("1.33.4", SignedManifest.read(unsigned, null, true).kubernetesVersion(), "skipping the signature reads it");

        Path cut = tmp.resolve("cut.tar.gz");
        byte[] whole = Files.readAllBytes(bundle(key, Compression.GZIP, "whole"));
        Files.write(cut, java.util.Arrays.copyOf(whole, 40));
        e = assertThrows(BundleException.class, () -> SignedManifest.read(cut, key.getPublic(), false));
        assertTrue(e.getMessage().startsWith("bundle cut.tar.gz: archive is truncated or corrupt at its start"), e.getMessage());

        Path notABundle = Files.writeString(tmp.resolve("x.tar"), "hello");
        e = assertThrows(BundleException.class, () -> SignedManifest.read(notABundle, key.getPublic(), false));
        assertTrue(e.getMessage().startsWith("bundle x.tar: "), e.getMessage());
    }
}
