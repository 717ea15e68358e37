package io.kubestead.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleSignatureTest {
    @TempDir
    Path tmp;

    @Test
    void signsAndVerifiesThroughPemRoundTrip() {
        KeyPair key = TestBundles.key();
        PrivateKey read = BundleSignature.readPrivateKey(BundleSignature.privateKeyPem(key.getPrivate()), "key");
        PublicKey pub = BundleSignature.readPublicKey(
                BundleSignature.publicKeyPem(key.getPublic()), "pub");
        byte[] message = "{\"format\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] sig = BundleSignature.sign(read, message);
        assertEquals(64, sig.length);
        assertTrue(BundleSignature.verify(pub, message, sig));
        assertFalse(BundleSignature.verify(pub, "{\"format\":2}".getBytes(StandardCharsets.UTF_8), sig));
        assertFalse(BundleSignature.verify(TestBundles.key().getPublic(), message, sig));
        assertFalse(BundleSignature.verify(pub, message, new byte[63]));
    }

    @Test
    void opensslReadsOurKeysAndVerifiesOurSignature() throws Exception {
        KeyPair key = TestBundles.key();
        Path priv = Files.write(tmp.resolve("k.key"), BundleSignature.privateKeyPem(key.getPrivate()));
        Path pub = Files.write(tmp.resolve("k.pub"), BundleSignature.publicKeyPem(key.getPublic()));
        byte[] message = "manifest bytes".getBytes(StandardCharsets.UTF_8);
        Path msg = Files.write(tmp.resolve("m"), message);
        Path sig = Files.write(tmp.resolve("m.sig"), BundleSignature.sign(key.getPrivate(), message));
        assertEquals(Files.readString(pub), run("openssl", "pkey", "-in", priv.toString(), "-pubout"));
        String verified = run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin",
                "-in", msg.toString(), "-sigfile", sig.toString());
        assertTrue(verified.contains("Signature Verified Successfully"), verified);
        // And the other way: a key openssl made is read and used.
        Path osslKey = tmp.resolve("o.key");
        run("openssl", "genpkey", "-algorithm", "ed25519", "-out", osslKey.toString());
        PrivateKey o = BundleSignature.readPrivateKey(Files.readAllBytes(osslKey), "o.key");
        assertArrayEquals(Files.readAllBytes(osslKey), BundleSignature.privateKeyPem(o));
        // ... and a signature openssl made verifies here, with the public key openssl derived.
        Path osslPub = Files.writeString(tmp.resolve("o.pub"), run("openssl", "pkey", "-in", osslKey.toString(), "-pubout"));
        Path osslSig = tmp.resolve("o.sig");
        run("openssl", "pkeyutl", "-sign", "-inkey", osslKey.toString(), "-rawin", "-in", msg.toString(), "-out", osslSig.toString());
        PublicKey osslPublic = BundleSignature.readPublicKey(Files.readAllBytes(osslPub), "o.pub");
        assertTrue(BundleSignature.verify(osslPublic, message, Files.readAllBytes(osslSig)));
        assertArrayEquals(Files.readAllBytes(osslSig), BundleSignature.sign(o, message), "Ed25519 is deterministic");
        byte[] flipped = Files.readAllBytes(osslSig);
        flipped[10] ^= 1;
        assertFalse(BundleSignature.verify(osslPublic, message, flipped));
    }

    @Test
    void refusesOtherKeysWithNamedErrors() {
        byte[] garbage = "not a key".getBytes(StandardCharsets.UTF_8);
        BundleException e = assertThrows(BundleException.class, () -> BundleSignature.readPrivateKey(garbage, "/x/k.key"));
        assertTrue(e.getMessage().startsWith("/x/k.key: "), e.getMessage());
        byte[] pub = BundleSignature.publicKeyPem(TestBundles.key().getPublic());
        e = assertThrows(BundleException.class, () -> BundleSignature.readPrivateKey(pub, "/x/k.pub"));
        assertTrue(e.getMessage().contains("not an Ed25519 private key"), e.getMessage());
    }

    private String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }
}
