package io.kubestead.agent.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.ExecResult;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyPairGeneratorSpi;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The keys {@link KeyAlgorithm} makes have the asked size and type, and openssl validates what we write. The check is
 * {@code openssl pkey -check}: on OpenSSL 3.0 it tests p and q for primality, n = pq and every CRT parameter, and
 * exits 1 on a bad key, while {@code openssl rsa -check} runs the same tests but exits 0 either way.
 */
class KeyGenerationTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void everyAlgorithmMakesKeysOfItsSizeThatOpensslValidates(KeyAlgorithm alg) throws Exception {
        KeyPair kp = alg.generate(new SecureRandom());
        if (alg.isRsa()) {
            assertRsa(kp, alg.bits());
        } else {
            assertEquals("secp256r1", ((ECPublicKey) kp.getPublic()).getParams().toString().split(" ")[0]);
        }
        assertEquals(alg, KeyAlgorithm.of(kp.getPublic()));
        assertTrue(CertChecks.matches(kp.getPrivate(), kp.getPublic()));
        assertOpensslValidates(kp, alg.word());
    }

    @Test
    void thePoolMakesDistinctKeysInTheOrderAsked() throws Exception {
        List<KeyAlgorithm> algs = List.of(KeyAlgorithm.RSA_2048, KeyAlgorithm.ECDSA_P256, KeyAlgorithm.RSA_2048,
                KeyAlgorithm.RSA_2048, KeyAlgorithm.ECDSA_P256);
        List<KeyPair> keys = new KeyPool(2).generate(algs);
        assertEquals(algs.size(), keys.size());
        Set<BigInteger> moduli = new HashSet<>();
        for (int i = 0; i < algs.size(); i++) {
            assertEquals(algs.get(i), KeyAlgorithm.of(keys.get(i).getPublic()), "key " + i);
            if (algs.get(i).isRsa()) {
                assertRsa(keys.get(i), 2048);
                assertOpensslValidates(keys.get(i), "pool" + i);
                moduli.add(((RSAPublicKey) keys.get(i).getPublic()).getModulus());
            }
        }
        assertEquals(3, moduli.size(), "every key is new");
    }

    /**
     * RSA keys come from the JCA's KeyPairGenerator, not from a prime search of our own: a provider put first in the
     * list sees every request (it hands the work to the JDK's SunRsaSign).
     */
    @Test
    void rsaKeysComeFromTheJcaKeyPairGenerator() throws Exception {
        Counting counting = new Counting();
        Security.insertProviderAt(counting, 1);
        try {
            for (KeyAlgorithm alg : List.of(KeyAlgorithm.RSA_2048, KeyAlgorithm.RSA_3072)) {
                assertRsa(alg.generate(new SecureRandom()), alg.bits());
            }
        } finally {
            Security.removeProvider(counting.getName());
        }
        assertEquals(List.of(2048, 3072), counting.sizes);
    }

    private static final class Counting extends Provider {
        final List<Integer> sizes = new CopyOnWriteArrayList<>();

        Counting() {
            super("KubesteadTestCounting", "1", "records the RSA key pair generators asked for");
            putService(new Service(this, "KeyPairGenerator", "RSA", Recording.class.getName(), null, null) {
                @Override
                public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
                    return new Recording(sizes);
                }
            });
        }
    }

    private static final class Recording extends KeyPairGeneratorSpi {
        private final List<Integer> sizes;
        private final KeyPairGenerator jdk;

        Recording(List<Integer> sizes) throws NoSuchAlgorithmException {
            this.sizes = sizes;
            try {
                this.jdk = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
            } catch (java.security.NoSuchProviderException e) {
                throw new NoSuchAlgorithmException(e);
            }
        }

        @Override
        public void initialize(int keysize, SecureRandom random) {
            jdk.initialize(keysize, random);
        }

        @Override
        public void initialize(AlgorithmParameterSpec params, SecureRandom random) throws InvalidAlgorithmParameterException {
            jdk.initialize(params, random);
            sizes.add(((RSAKeyGenParameterSpec) params).getKeysize());
        }

        @Override
        public KeyPair generateKeyPair() {
            return jdk.generateKeyPair();
        }
    }

    @Test
    void opensslRefusesABrokenCrtParameterSoItsAcceptanceMeansSomething() throws Exception {
        KeyPair kp = KeyAlgorithm.RSA_2048.generate(new SecureRandom());
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) kp.getPrivate();
        RSAPrivateCrtKeySpec broken = new RSAPrivateCrtKeySpec(k.getModulus(), k.getPublicExponent(),
                k.getPrivateExponent(), k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP().add(BigInteger.TWO),
                k.getPrimeExponentQ(), k.getCrtCoefficient());
        KeyPair bad = new KeyPair(kp.getPublic(), KeyFactory.getInstance("RSA").generatePrivate(broken));
        Path key = Files.write(dir.resolve("bad.pem"), Pem.privateKey(bad));
        ExecResult r = PkiTesting.run("openssl", "pkey", "-check", "-noout", "-in", key.toString());
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().startsWith("Key is invalid\n") && r.stderr().contains("dmp1 not congruent to d"), r.stderr());
        ExecResult rsa = PkiTesting.run("openssl", "rsa", "-check", "-noout", "-in", key.toString());
        assertTrue(rsa.stderr().startsWith("RSA key not ok\n"), "rsa -check finds it too, though it exits "
                + rsa.exitCode() + ": " + rsa.stderr());
    }

    /** Size, e = 65537, n = pq with prime factors of half the size each, consistent CRT values, a working signature. */
    static void assertRsa(KeyPair kp, int bits) throws Exception {
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) kp.getPrivate();
        RSAPublicKey pub = (RSAPublicKey) kp.getPublic();
        BigInteger p = k.getPrimeP();
        BigInteger q = k.getPrimeQ();
        BigInteger n = pub.getModulus();
        assertEquals(bits, n.bitLength(), "modulus size");
        assertEquals(BigInteger.valueOf(65537), pub.getPublicExponent(), "e = 65537");
        assertEquals(n, k.getModulus());
        assertEquals(n, p.multiply(q), "n = pq");
        assertTrue(p.isProbablePrime(100) && q.isProbablePrime(100), "p and q are prime");
        assertEquals(bits / 2, p.bitLength());
        assertEquals(bits / 2, q.bitLength());
        BigInteger p1 = p.subtract(BigInteger.ONE);
        BigInteger q1 = q.subtract(BigInteger.ONE);
        BigInteger lcm = p1.divide(p1.gcd(q1)).multiply(q1);
        assertEquals(BigInteger.ONE, pub.getPublicExponent().multiply(k.getPrivateExponent()).mod(lcm), "e d = 1 mod lcm");
        assertEquals(k.getPrivateExponent().mod(p1), k.getPrimeExponentP().mod(p1));
        assertEquals(k.getPrivateExponent().mod(q1), k.getPrimeExponentQ().mod(q1));
        assertEquals(BigInteger.ONE, q.multiply(k.getCrtCoefficient()).mod(p), "qInv q = 1 mod p");
        byte[] message = "kubestead".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(k);
        signer.update(message);
        byte[] sig = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(pub);
        verifier.update(message);
        assertTrue(verifier.verify(sig), "a CRT signature verifies");
    }

    void assertOpensslValidates(KeyPair kp, String name) throws Exception {
        Path key = Files.write(dir.resolve(name + ".pem"), Pem.privateKey(kp));
        assertEquals("Key is valid\n", PkiTesting.ok("openssl", "pkey", "-check", "-noout", "-in", key.toString()));
    }
}
