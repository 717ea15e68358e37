package io.kubestead.agent.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.ExecResult;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Generated keys have every property FIPS 186-4 B.3.1/B.3.3 asks of them, and openssl accepts what we write. */
class RsaKeyGeneratorTest {
    static final BigInteger E = BigInteger.valueOf(65537);

    @TempDir
    Path dir;

    @Test
    void severalRsa2048KeysEachHaveEveryFipsPropertyAndPassOpensslCheck() throws Exception {
        Set<BigInteger> moduli = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            KeyPair kp = KeyAlgorithm.RSA_2048.generate(new SecureRandom());
            assertFips(kp, 2048);
            assertOpensslAccepts(kp, "k" + i);
            moduli.add(((RSAPublicKey) kp.getPublic()).getModulus());
        }
        assertEquals(5, moduli.size(), "every key is new");
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"RSA_3072", "RSA_4096"})
    void largerKeysToo(KeyAlgorithm alg) throws Exception {
        KeyPair kp = alg.generate(new SecureRandom());
        assertFips(kp, alg.bits());
        assertOpensslAccepts(kp, "k");
    }

    @Test
    void opensslCheckCatchesABrokenCrtParameterSoItsAcceptanceMeansSomething() throws Exception {
        KeyPair kp = KeyAlgorithm.RSA_2048.generate(new SecureRandom());
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) kp.getPrivate();
        RSAPrivateCrtKeySpec broken = new RSAPrivateCrtKeySpec(k.getModulus(), k.getPublicExponent(),
                k.getPrivateExponent(), k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP().add(BigInteger.TWO),
                k.getPrimeExponentQ(), k.getCrtCoefficient());
        KeyPair bad = new KeyPair(kp.getPublic(), KeyFactory.getInstance("RSA").generatePrivate(broken));
        Path key = Files.write(dir.resolve("bad.pem"), Pem.privateKey(bad));
        ExecResult r = PkiTesting.run("openssl", "rsa", "-check", "-noout", "-in", key.toString());
        // openssl 3.0 exits 0 here too and says so on stderr: assertOpensslAccepts wants "RSA key ok" on stdout
        assertEquals("", r.stdout());
        assertTrue(r.stderr().startsWith("RSA key not ok\n") && r.stderr().contains("dmp1 not congruent to d"), r.stderr());
    }

    @Test
    void theBoundsAreStrictAsFipsWritesThem() {
        int half = 1024;
        BigInteger q = BigInteger.ONE.shiftLeft(1023).add(BigInteger.ONE);
        BigInteger gap = BigInteger.ONE.shiftLeft(half - 100);
        assertFalse(RsaKeyGenerator.farApart(q.add(gap), q, half), "|p - q| = 2^(nlen/2 - 100) is too close");
        assertFalse(RsaKeyGenerator.farApart(q, q.add(gap), half));
        assertTrue(RsaKeyGenerator.farApart(q.add(gap).add(BigInteger.TWO), q, half));
        assertFalse(RsaKeyGenerator.largeEnough(BigInteger.ONE.shiftLeft(half), half), "d = 2^(nlen/2) is too small");
        assertTrue(RsaKeyGenerator.largeEnough(BigInteger.ONE.shiftLeft(half).add(BigInteger.ONE), half));
    }

    @Test
    void fipsMillerRabinRoundsForOurPrimeSizes() {
        // FIPS 186-4 table C.3 / 186-5 table B.1, M-R only: 1024-bit primes 5, 1536-bit 4, 2048-bit 4
        assertEquals(5, RsaKeyGenerator.rounds(1024));
        assertEquals(4, RsaKeyGenerator.rounds(1536));
        assertEquals(4, RsaKeyGenerator.rounds(2048));
    }

    @Test
    void randomBasesRejectAStrongPseudoprimeToTheFirstPrimeBases() throws Exception {
        // 3215031751 = 151 * 751 * 28351 passes Miller-Rabin to bases 2, 3, 5 and 7
        BigInteger spsp = BigInteger.valueOf(3_215_031_751L);
        for (int base : new int[] {2, 3, 5, 7}) {
            assertTrue(RsaKeyGenerator.millerRabin(spsp, BigInteger.valueOf(base)), "base " + base);
        }
        SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG"); // seeded before use: the same bases every run
        seeded.setSeed(42);
        assertFalse(RsaKeyGenerator.passesRandomRounds(spsp, seeded));
        assertTrue(RsaKeyGenerator.passesRandomRounds(BigInteger.valueOf(3_215_031_767L), seeded), "a prime passes");
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

    /** FIPS 186-4 B.3.1 (criteria for p, q, d) and B.3.3 (probable primes), each asserted exactly. */
    static void assertFips(KeyPair kp, int nlen) throws Exception {
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) kp.getPrivate();
        RSAPublicKey pub = (RSAPublicKey) kp.getPublic();
        BigInteger p = k.getPrimeP();
        BigInteger q = k.getPrimeQ();
        BigInteger n = pub.getModulus();
        BigInteger d = k.getPrivateExponent();
        BigInteger p1 = p.subtract(BigInteger.ONE);
        BigInteger q1 = q.subtract(BigInteger.ONE);
        int half = nlen / 2;
        assertEquals(E, pub.getPublicExponent(), "e = 65537");
        assertEquals(E, k.getPublicExponent());
        assertEquals(n, k.getModulus());
        assertEquals(n, p.multiply(q), "n = pq");
        assertEquals(nlen, n.bitLength());
        assertTrue(p.isProbablePrime(100) && q.isProbablePrime(100), "p and q are prime (JDK's own test)");
        // p, q >= sqrt(2) * 2^(nlen/2 - 1), i.e. p^2 >= 2^(nlen - 1); and both have nlen/2 bits
        for (BigInteger f : new BigInteger[] {p, q}) {
            assertTrue(f.pow(2).compareTo(BigInteger.ONE.shiftLeft(nlen - 1)) >= 0, "a factor below sqrt(2)*2^(nlen/2-1)");
            assertEquals(half, f.bitLength());
        }
        assertTrue(p.subtract(q).abs().compareTo(BigInteger.ONE.shiftLeft(half - 100)) > 0, "|p - q| > 2^(nlen/2 - 100)");
        assertEquals(BigInteger.ONE, E.gcd(p1), "gcd(e, p - 1) = 1");
        assertEquals(BigInteger.ONE, E.gcd(q1), "gcd(e, q - 1) = 1");
        BigInteger lcm = p1.divide(p1.gcd(q1)).multiply(q1);
        assertTrue(d.compareTo(BigInteger.ONE.shiftLeft(half)) > 0, "d > 2^(nlen/2)");
        assertTrue(d.compareTo(lcm) < 0, "d < lcm(p - 1, q - 1)");
        assertEquals(BigInteger.ONE, E.multiply(d).mod(lcm), "e d = 1 mod lcm(p - 1, q - 1)");
        assertEquals(d.mod(p1), k.getPrimeExponentP(), "dP = d mod (p - 1)");
        assertEquals(d.mod(q1), k.getPrimeExponentQ(), "dQ = d mod (q - 1)");
        assertEquals(BigInteger.ONE, q.multiply(k.getCrtCoefficient()).mod(p), "qInv q = 1 mod p");
        assertTrue(k.getCrtCoefficient().signum() > 0 && k.getCrtCoefficient().compareTo(p) < 0, "0 < qInv < p");
        // the JDK signs with the CRT parameters; the public key must accept that signature
        byte[] message = "kubestead".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(k);
        signer.update(message);
        byte[] sig = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(pub);
        verifier.update(message);
        assertTrue(verifier.verify(sig), "a CRT signature verifies");
        assertTrue(CertChecks.matches(kp.getPrivate(), kp.getPublic()));
    }

    void assertOpensslAccepts(KeyPair kp, String name) throws Exception {
        Path key = Files.write(dir.resolve(name + ".pem"), Pem.privateKey(kp));
        assertEquals("RSA key ok\n", PkiTesting.ok("openssl", "rsa", "-check", "-noout", "-in", key.toString()));
    }
}
