package io.kubestead.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading only a bundle's signed head: the manifest is believed only with a signature that verifies. */
class SignedManifestTest {
    @TempDir
    Path tmp;

    private Path bundle(Ed25519PrivateKeyParameters key, Compression c, String name) throws Exception {
        Path out = tmp.resolve(name + c.extension());
        new BundleWriter(c).write(TestBundles.staging(tmp.resolve("staging-" + name)), TestBundles.METADATA, key, out);
        return out;
    }

    @Test
    void aSignedBundlesManifestIsReadFromItsHeadInBothCompressions() throws Exception {
        Ed25519PrivateKeyParameters key = TestBundles.key();
        for (Compression c : new Compression[] {Compression.ZSTD, Compression.GZIP}) {
            Path b = bundle(key, c, "ok-" + c);
            BundleManifest m = SignedManifest.read(b, key.generatePublicKey(), false);
            assertEquals("1.33.4", m.kubernetesVersion());
            assertEquals(new BundleReader(key.generatePublicKey(), false, BundleProgress.NONE).verify(b), m);
        }
    }

    @Test
    void anotherKeyAnUnsignedBundleAndATruncatedOneAreRefused() throws Exception {
        Ed25519PrivateKeyParameters key = TestBundles.key();
        Path other = bundle(TestBundles.key(), Compression.ZSTD, "other");
        var e = assertThrows(BundleException.class, () -> SignedManifest.read(other, key.generatePublicKey(), false));
        assertEquals("bundle other.tar.zst: manifest.sig does not verify with the trusted key (wrong key or altered manifest)",
                e.getMessage());

        Path unsigned = bundle(null, Compression.GZIP, "unsigned");
        e = assertThrows(BundleException.class, () -> SignedManifest.read(unsigned, key.generatePublicKey(), false));
        assertTrue(e.getMessage().startsWith("bundle unsigned.tar.gz: unsigned (no manifest.sig"), e.getMessage());
        assertEquals("1.33.4", SignedManifest.read(unsigned, null, true).kubernetesVersion(), "skipping the signature reads it");

        Path cut = tmp.resolve("cut.tar.gz");
        byte[] whole = Files.readAllBytes(bundle(key, Compression.GZIP, "whole"));
        Files.write(cut, java.util.Arrays.copyOf(whole, 40));
        e = assertThrows(BundleException.class, () -> SignedManifest.read(cut, key.generatePublicKey(), false));
        assertTrue(e.getMessage().startsWith("bundle cut.tar.gz: cannot read (truncated or corrupt?)"), e.getMessage());

        Path notABundle = Files.writeString(tmp.resolve("x.tar"), "hello");
        e = assertThrows(BundleException.class, () -> SignedManifest.read(notABundle, key.generatePublicKey(), false));
        assertTrue(e.getMessage().startsWith("bundle x.tar: "), e.getMessage());
    }
}
