package io.kubestead.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleSignatureTest {
    @TempDir
    Path tmp;

    @Test
    void signsAndVerifiesThroughPemRoundTrip() {
        Ed25519PrivateKeyParameters key = TestBundles.key();
        Ed25519PrivateKeyParameters read = BundleSignature.readPrivateKey(BundleSignature.privateKeyPem(key), "key");
        Ed25519PublicKeyParameters pub = BundleSignature.readPublicKey(
                BundleSignature.publicKeyPem(key.generatePublicKey()), "pub");
        byte[] message = "{\"format\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] sig = BundleSignature.sign(read, message);
        assertEquals(64, sig.length);
        assertTrue(BundleSignature.verify(pub, message, sig));
        assertFalse(BundleSignature.verify(pub, "{\"format\":2}".getBytes(StandardCharsets.UTF_8), sig));
        assertFalse(BundleSignature.verify(TestBundles.key().generatePublicKey(), message, sig));
        assertFalse(BundleSignature.verify(pub, message, new byte[63]));
    }

    @Test
    void opensslReadsOurKeysAndVerifiesOurSignature() throws Exception {
        Ed25519PrivateKeyParameters key = TestBundles.key();
        Path priv = Files.write(tmp.resolve("k.key"), BundleSignature.privateKeyPem(key));
        Path pub = Files.write(tmp.resolve("k.pub"), BundleSignature.publicKeyPem(key.generatePublicKey()));
        byte[] message = "manifest bytes".getBytes(StandardCharsets.UTF_8);
        Path msg = Files.write(tmp.resolve("m"), message);
        Path sig = Files.write(tmp.resolve("m.sig"), BundleSignature.sign(key, message));
        assertEquals(Files.readString(pub), run("openssl", "pkey", "-in", priv.toString(), "-pubout"));
        String verified = run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin",
                "-in", msg.toString(), "-sigfile", sig.toString());
        assertTrue(verified.contains("Signature Verified Successfully"), verified);
        // And the other way: a key openssl made is read and used.
        Path osslKey = tmp.resolve("o.key");
        run("openssl", "genpkey", "-algorithm", "ed25519", "-out", osslKey.toString());
        Ed25519PrivateKeyParameters o = BundleSignature.readPrivateKey(Files.readAllBytes(osslKey), "o.key");
        assertArrayEquals(Files.readAllBytes(osslKey), BundleSignature.privateKeyPem(o));
    }

    @Test
    void refusesOtherKeysWithNamedErrors() {
        byte[] garbage = "not a key".getBytes(StandardCharsets.UTF_8);
        BundleException e = assertThrows(BundleException.class, () -> BundleSignature.readPrivateKey(garbage, "/x/k.key"));
        assertTrue(e.getMessage().startsWith("/x/k.key: "), e.getMessage());
        byte[] pub = BundleSignature.publicKeyPem(TestBundles.key().generatePublicKey());
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
