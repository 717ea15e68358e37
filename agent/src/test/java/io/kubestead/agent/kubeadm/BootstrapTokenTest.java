package io.kubestead.agent.kubeadm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class BootstrapTokenTest {

    @Test
    void generatedTokensMatchKubeadmsPatternAndDiffer() {
        SecureRandom random = new SecureRandom();
        BootstrapToken a = BootstrapToken.generate(random);
        BootstrapToken b = BootstrapToken.generate(random);
        assertTrue(a.value().matches("[a-z0-9]{6}\\.[a-z0-9]{16}"), a.id());
        assertNotEquals(a.value(), b.value());
        assertEquals(a, BootstrapToken.parse(a.value()));
    }

    @Test
    void toStringHidesTheSecret() {
        BootstrapToken t = BootstrapToken.parse("abcdef.0123456789abcdef");
        assertFalse(t.toString().contains("0123456789abcdef"), t.toString());
        assertTrue(t.toString().startsWith("abcdef."));
        assertEquals("abcdef.0123456789abcdef", t.value());
    }

    @Test
    void rejectsMalformedTokensWithoutEchoingThem() {
        for (String bad : new String[] {"ABCDEF.0123456789abcdef", "abcde.0123456789abcdef", "abcdef.0123456789abcde",
                "abcdef-0123456789abcdef", "abcdef.0123456789abcdef\n", " abcdef.0123456789abcdef", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BootstrapToken.parse(bad));
            assertFalse(!bad.isEmpty() && e.getMessage().contains(bad.strip()), e.getMessage());
            assertFalse(BootstrapToken.isValid(bad), bad);
        }
    }

    @Test
    void certificateKeyIs32RandomBytesInHexAndHidden() {
        CertificateKey k = CertificateKey.generate(new SecureRandom());
        assertTrue(k.value().matches("[0-9a-f]{64}"));
        assertEquals(32, k.bytes().length);
        assertFalse(k.toString().contains(k.value()));
        assertEquals(k, CertificateKey.parse(k.value().toUpperCase()));
        assertThrows(IllegalArgumentException.class, () -> CertificateKey.parse("abc"));
        assertThrows(IllegalArgumentException.class, () -> CertificateKey.parse("g".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> new CertificateKey("A".repeat(64)));
    }
}
