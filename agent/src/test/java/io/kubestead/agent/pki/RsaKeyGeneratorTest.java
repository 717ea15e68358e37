package io.kubestead.agent.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RsaKeyGeneratorTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"RSA_2048", "RSA_3072", "RSA_4096"})
    void keysAreSoundAndOpensslAgrees(KeyAlgorithm alg) throws Exception {
        KeyPair kp = alg.generate(new SecureRandom());
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) kp.getPrivate();
        BigInteger p = k.getPrimeP();
        BigInteger q = k.getPrimeQ();
        assertEquals(alg.bits(), k.getModulus().bitLength());
        assertEquals(BigInteger.valueOf(65537), ((RSAPublicKey) kp.getPublic()).getPublicExponent());
        assertTrue(p.isProbablePrime(128) && q.isProbablePrime(128), "p and q are prime");
        assertEquals(alg.bits() / 2, p.bitLength());
        assertEquals(alg.bits() / 2, q.bitLength());
        assertTrue(p.subtract(q).abs().bitLength() > alg.bits() / 2 - 100);
        BigInteger lcm = p.subtract(BigInteger.ONE).divide(p.subtract(BigInteger.ONE).gcd(q.subtract(BigInteger.ONE)))
                .multiply(q.subtract(BigInteger.ONE));
        assertEquals(BigInteger.ONE, k.getPrivateExponent().multiply(k.getPublicExponent()).mod(lcm));
        Path key = Files.write(dir.resolve("k.pem"), Pem.privateKey(kp));
        assertEquals("RSA key ok\n", PkiTesting.ok("openssl", "rsa", "-check", "-noout", "-in", key.toString()));
        assertTrue(CertChecks.matches(kp.getPrivate(), kp.getPublic()));
    }

    @Test
    void millerRabinSeparatesPrimesFromCompositesAndCarmichaelNumbers() {
        BigInteger two = BigInteger.TWO;
        assertTrue(RsaKeyGenerator.millerRabin(BigInteger.valueOf(1_000_003), two));
        assertTrue(RsaKeyGenerator.millerRabin(BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE), two));
        assertFalse(RsaKeyGenerator.millerRabin(BigInteger.valueOf(561), two)); // Carmichael
        assertFalse(RsaKeyGenerator.millerRabin(BigInteger.valueOf(1_000_003L * 1_000_033L), two));
        BigInteger p = RsaKeyGenerator.prime(512, new SecureRandom());
        assertTrue(p.isProbablePrime(128));
        assertEquals(512, p.bitLength());
        assertTrue(p.testBit(510), "top two bits set");
    }
}
