package io.kubestead.agent.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;

/**
 * RSA key pairs with probable primes, e = 65537, and every FIPS 186-4 B.3.1 criterion for p, q and d: random odd
 * starting points with the top two bits set (so p, q >= 1.5 * 2^(k-1) > sqrt(2) * 2^(k-1)), a sieve over all
 * primes below 2^16, then Miller-Rabin with base 2 as a cheap filter and {@link #rounds} random bases as FIPS
 * counts them. One deviation from B.3.3: candidates are the sieve's survivors after a random start (incremental
 * search, as the JDK's BigInteger.probablePrime and OpenSSL's default generator do), not a fresh random string
 * each (step 4.2); primes after a long gap are slightly likelier, with no known weakness, and the sieve's cost is
 * shared by 4096 candidates. Literal B.3.3 conformance would need that step changed. Why not the JDK's generator:
 * on a cold JVM it took about twice the time and CPU for the 16 RSA-2048 keys of one host (bench/README.md),
 * probably in its Lucas-Lehmer step (not profiled), which uses plain multiply-and-divide where Miller-Rabin uses the JIT's
 * Montgomery intrinsics; RSA key generation is most of the PKI's time.
 */
final class RsaKeyGenerator {
    private static final BigInteger E = BigInteger.valueOf(65537);
    private static final int[] SMALL_PRIMES = smallPrimes(1 << 16);
    private static final int SIEVE = 4096;

    private RsaKeyGenerator() {
    }

    static KeyPair generate(int bits, SecureRandom random) {
        int half = bits / 2;
        while (true) {
            BigInteger p = prime(half, random);
            BigInteger q = prime(bits - half, random);
            if (!farApart(p, q, half)) {
                continue;
            }
            BigInteger p1 = p.subtract(BigInteger.ONE);
            BigInteger q1 = q.subtract(BigInteger.ONE);
            BigInteger lcm = p1.divide(p1.gcd(q1)).multiply(q1);
            BigInteger d = E.modInverse(lcm);
            if (!largeEnough(d, half)) {
                continue;
            }
            BigInteger n = p.multiply(q);
            if (p.compareTo(q) < 0) {
                BigInteger t = p;
                p = q;
                q = t;
                p1 = p.subtract(BigInteger.ONE);
                q1 = q.subtract(BigInteger.ONE);
            }
            try {
                KeyFactory kf = KeyFactory.getInstance("RSA");
                return new KeyPair(kf.generatePublic(new RSAPublicKeySpec(n, E)), kf.generatePrivate(
                        new RSAPrivateCrtKeySpec(n, E, d, p, q, d.mod(p1), d.mod(q1), q.modInverse(p))));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK refused an RSA key", e);
            }
        }
    }

    /** FIPS 186-4 B.3.3 step 5.4: |p - q| > 2^(nlen/2 - 100), strictly. */
    static boolean farApart(BigInteger p, BigInteger q, int half) {
        return p.subtract(q).abs().compareTo(BigInteger.ONE.shiftLeft(half - 100)) > 0;
    }

    /** FIPS 186-4 B.3.1 criterion 3(a): d > 2^(nlen/2), strictly (d < lcm(p - 1, q - 1) holds by construction). */
    static boolean largeEnough(BigInteger d, int half) {
        return d.compareTo(BigInteger.ONE.shiftLeft(half)) > 0;
    }

    /** A probable prime of exactly {@code bits} bits with its top two bits set and gcd(p - 1, 65537) = 1. */
    static BigInteger prime(int bits, SecureRandom random) {
        while (true) {
            BigInteger base = new BigInteger(bits, random).setBit(bits - 1).setBit(bits - 2).setBit(0);
            boolean[] composite = new boolean[SIEVE];
            int[] mag = magnitude(base);
            for (int sp : SMALL_PRIMES) {
                int r = remainder(mag, sp);
                // candidate k is base + 2k; it is divisible by sp when 2k = -r (mod sp)
                int k = (int) ((long) (sp - r) * ((sp + 1) / 2) % sp);
                for (; k < SIEVE; k += sp) {
                    composite[k] = true;
                }
            }
            for (int k = 0; k < SIEVE; k++) {
                if (composite[k]) {
                    continue;
                }
                BigInteger c = base.add(BigInteger.valueOf(2L * k));
                if (c.bitLength() != bits || !c.testBit(bits - 2)) {
                    break;
                }
                if (c.mod(E).equals(BigInteger.ONE)) {
                    continue;
                }
                if (millerRabin(c, BigInteger.TWO) && passesRandomRounds(c, random)) {
                    return c;
                }
            }
        }
    }

    /**
     * Miller-Rabin rounds with random bases for a prime of {@code bits} bits: the "M-R tests only" counts of FIPS
     * 186-4 table C.3, kept in FIPS 186-5 table B.1 (error probability 2^-112, 2^-128 and 2^-144 for 2048-,
     * 3072- and 4096-bit moduli; OpenSSL's FIPS generator uses the same): 5 for 1024-bit primes, 4 for 1536 and
     * 2048 bits. A fixed base such as 2 does not count, since C.3.1 draws every base at random.
     */
    static int rounds(int bits) {
        if (bits >= 1536) {
            return 4;
        }
        if (bits >= 1024) {
            return 5;
        }
        return 10; // below any RSA key size we make (tests use 512-bit primes): generous
    }

    static boolean passesRandomRounds(BigInteger n, SecureRandom random) {
        // bases in [2, n - 2], as FIPS 186-4 C.3.1 asks
        BigInteger nMinus4 = n.subtract(BigInteger.valueOf(4));
        int rounds = rounds(n.bitLength());
        for (int i = 0; i < rounds; i++) {
            BigInteger a;
            do {
                a = new BigInteger(n.bitLength(), random);
            } while (a.compareTo(nMinus4) > 0);
            if (!millerRabin(n, a.add(BigInteger.TWO))) {
                return false;
            }
        }
        return true;
    }

    /** One strong-probable-prime test of odd n to base a. */
    static boolean millerRabin(BigInteger n, BigInteger a) {
        BigInteger n1 = n.subtract(BigInteger.ONE);
        int s = n1.getLowestSetBit();
        BigInteger y = a.modPow(n1.shiftRight(s), n);
        if (y.equals(BigInteger.ONE) || y.equals(n1)) {
            return true;
        }
        for (int j = 1; j < s; j++) {
            y = y.multiply(y).mod(n);
            if (y.equals(n1)) {
                return true;
            }
            if (y.equals(BigInteger.ONE)) {
                return false;
            }
        }
        return false;
    }

    private static int[] magnitude(BigInteger v) {
        byte[] b = v.toByteArray();
        int words = (b.length + 3) / 4;
        int[] out = new int[words];
        for (int i = 0; i < b.length; i++) {
            int fromEnd = b.length - 1 - i;
            out[words - 1 - fromEnd / 4] |= (b[i] & 0xff) << (8 * (fromEnd % 4));
        }
        return out;
    }

    private static int remainder(int[] mag, int m) {
        long r = 0;
        for (int w : mag) {
            r = ((r << 32) | (w & 0xffffffffL)) % m;
        }
        return (int) r;
    }

    private static int[] smallPrimes(int limit) {
        boolean[] notPrime = new boolean[limit];
        int count = 0;
        for (int i = 3; i < limit; i += 2) {
            if (!notPrime[i]) {
                count++;
                for (long j = (long) i * i; j < limit; j += 2L * i) {
                    notPrime[(int) j] = true;
                }
            }
        }
        int[] out = new int[count];
        for (int i = 3, n = 0; i < limit; i += 2) {
            if (!notPrime[i]) {
                out[n++] = i;
            }
        }
        return out;
    }
}
