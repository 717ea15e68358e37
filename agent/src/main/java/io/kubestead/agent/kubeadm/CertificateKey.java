package io.kubestead.agent.kubeadm;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The AES-256 key kubeadm uses to encrypt the shared control-plane certificates in the {@code kubeadm-certs}
 * Secret: 32 random bytes, hex-encoded (64 characters). It is a secret, so {@link #toString()} hides it.
 */
public record CertificateKey(String hex) {
    public static final Pattern FORM = Pattern.compile("\\A[0-9a-f]{64}\\z");

    public CertificateKey {
        if (!isValid(hex)) {
            throw new IllegalArgumentException("certificate key must be 64 lowercase hex characters (32 bytes)");
        }
    }

    public static CertificateKey generate(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return new CertificateKey(HexFormat.of().formatHex(bytes));
    }

    /** Accepts upper case too (kubeadm decodes hex case-insensitively) and normalises to lower case. */
    public static CertificateKey parse(String text) {
        if (text == null || !text.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("not a certificate key: expected 64 hex characters (32 bytes)");
        }
        return new CertificateKey(text.toLowerCase(java.util.Locale.ROOT));
    }

    public static boolean isValid(String text) {
        return text != null && FORM.matcher(text).matches();
    }

    /** The key bytes, e.g. to decrypt {@code kubeadm-certs} entries. */
    public byte[] bytes() {
        return HexFormat.of().parseHex(hex);
    }

    /** The hex key, for configuration files (mode 0600) and nowhere else. */
    public String value() {
        return hex;
    }

    @Override
    public String toString() {
        return "CertificateKey[****]";
    }
}
