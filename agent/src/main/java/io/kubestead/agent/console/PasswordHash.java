package io.kubestead.agent.console;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The console password as stored: PBKDF2 with HMAC-SHA256 from the JDK, a random salt and the iteration count, in
 * one line {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (base64). The password itself is never kept.
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {
    /** OWASP's figure for PBKDF2-HMAC-SHA256 (2023). */
    public static final int ITERATIONS = 600_000;
    static final int MIN_ITERATIONS = 1_000;
    static final int MAX_ITERATIONS = 10_000_000;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    /** Longer passwords are refused before hashing, so a huge one cannot cost more than a normal one. */
    public static final int MAX_PASSWORD_CHARS = 256;

    public PasswordHash {
        salt = salt.clone();
        hash = hash.clone();
    }

    public static PasswordHash create(char[] password, SecureRandom random) {
        return create(password, random, ITERATIONS);
    }

    public static PasswordHash create(char[] password, SecureRandom random, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations));
    }

    /** True if {@code password} is the one hashed here; compared in constant time. */
    public boolean matches(char[] password) {
        if (password.length == 0 || password.length > MAX_PASSWORD_CHARS) {
            return false;
        }
        return MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    public String encode() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash) + "\n";
    }

    /** Reads a stored line; a line not of this form is an error naming {@code source}. */
    public static PasswordHash parse(byte[] stored, String source) {
        String s = new String(stored, StandardCharsets.US_ASCII).strip();
        String[] f = s.split("\\$", -1);
        try {
            if (f.length != 4 || !f[0].equals(SCHEME) || !f[1].matches("[0-9]{1,8}")) {
                throw new IllegalArgumentException("not " + SCHEME + "$ITERATIONS$SALT$HASH");
            }
            int iterations = Integer.parseInt(f[1]);
            byte[] salt = Base64.getDecoder().decode(f[2]);
            byte[] hash = Base64.getDecoder().decode(f[3]);
            if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS || salt.length < 8 || hash.length != HASH_BYTES) {
                throw new IllegalArgumentException("iterations, salt or hash out of range");
            }
            return new PasswordHash(iterations, salt, hash);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " is not a console password hash (" + e.getMessage()
                    + "); set a new password with 'kubestead console password'");
        }
    }

    /** A password to print once: 20 characters from an alphabet without look-alikes (about 116 bits). */
    public static String generatePassword(SecureRandom random) {
        String alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
