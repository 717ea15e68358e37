package io.kubestead.agent.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stored password line: PBKDF2-HMAC-SHA256 as the JDK computes it, a fresh salt each time, hostile lines refused. */
class PasswordHashTest {
    static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void theStoredLineIsPbkdf2OfThePasswordWithItsSaltAndCount() throws Exception {
        PasswordHash h = PasswordHash.create("a fine password".toCharArray(), RANDOM, 5_000);
        String line = h.encode();
        assertTrue(line.startsWith("pbkdf2-sha256$5000$"), line);
        assertFalse(line.contains("a fine password"));
        PasswordHash read = PasswordHash.parse(line.getBytes(StandardCharsets.US_ASCII), "test");
        assertTrue(read.matches("a fine password".toCharArray()));
        assertFalse(read.matches("a fine passwore".toCharArray()));
        assertFalse(read.matches(new char[0]));
        // the JDK's PBKDF2 over the same salt and count gives the stored hash: nothing of our own in between
        byte[] expected = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(
                new PBEKeySpec("a fine password".toCharArray(), read.salt(), 5_000, 256)).getEncoded();
        assertEquals(java.util.HexFormat.of().formatHex(expected), java.util.HexFormat.of().formatHex(read.hash()));
        assertNotEquals(line, PasswordHash.create("a fine password".toCharArray(), RANDOM, 5_000).encode(), "a new salt");
        assertEquals(600_000, PasswordHash.create("x".repeat(12).toCharArray(), RANDOM).iterations());
    }

    @Test
    void aPasswordLongerThan256CharactersNeverMatches() {
        char[] huge = "y".repeat(PasswordHash.MAX_PASSWORD_CHARS + 1).toCharArray();
        PasswordHash h = PasswordHash.create(huge, RANDOM, 1_000);
        assertFalse(h.matches(huge));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "pbkdf2-sha1$1000$AAAAAAAAAAA$AAAA", "pbkdf2-sha256$99999999999$AAAAAAAAAAAAAAAAAAAAAA$AAAA",
            "pbkdf2-sha256$10$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA$AAAA", "pbkdf2-sha256$1000$!!!$AAAA"})
    void aLineNotOfThisFormIsRefusedNamingTheFile(String line) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PasswordHash.parse(line.getBytes(StandardCharsets.US_ASCII), "/etc/kubestead/console/password"));
        assertTrue(e.getMessage().startsWith("/etc/kubestead/console/password is not a console password hash"), e.getMessage());
        assertTrue(e.getMessage().endsWith("set a new password with 'kubestead console password'"), e.getMessage());
    }

    @Test
    void generatedPasswordsAreLongAndDiffer() {
        String a = PasswordHash.generatePassword(RANDOM);
        assertEquals(20, a.length());
        assertTrue(a.matches("[a-zA-Z2-9]+"), a);
        assertNotEquals(a, PasswordHash.generatePassword(RANDOM));
    }
}
