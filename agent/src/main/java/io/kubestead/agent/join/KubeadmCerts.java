package io.kubestead.agent.join;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads the control-plane certificates kubeadm uploads to the Secret {@code kube-system/kubeadm-certs}
 * ({@code init --upload-certs}): each file is AES-256-GCM encrypted with the certificate key, stored as a
 * 12-byte random nonce, the ciphertext and the 16-byte tag, no additional data (KA/util/crypto/crypto.go), and
 * the Secret's data values are base64 of that.
 */
public final class KubeadmCerts {
    public static final String PATH = "/api/v1/namespaces/kube-system/secrets/kubeadm-certs";
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;

    private KubeadmCerts() {
    }

    /**
     * The decrypted file {@code name} (e.g. {@code etcd-ca.key}) from the Secret object.
     *
     * @throws JoinGateException when the file is missing or the key does not decrypt it (an expired key: kubeadm
     *         deletes the Secret after 2 hours and join-script uploads the certificates again under a new key)
     */
    public static byte[] file(JsonNode secret, String name, String certificateKeyHex) {
        String data = secret.path("data").path(name).asText("");
        if (data.isEmpty()) {
            throw new JoinGateException("the Secret kube-system/kubeadm-certs has no " + name + "; "
                    + ExpiredCredentials.instruction(ExpiredCredentials.Role.MASTER));
        }
        byte[] encrypted;
        try {
            encrypted = Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new JoinGateException("the Secret kube-system/kubeadm-certs holds " + name + " not as base64; "
                    + ExpiredCredentials.instruction(ExpiredCredentials.Role.MASTER), e);
        }
        try {
            return decrypt(encrypted, certificateKeyHex);
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw new JoinGateException("cannot decrypt " + name + " from kube-system/kubeadm-certs with the certificate key"
                    + " (the key is wrong, or the certificates were uploaded again under a new one); "
                    + ExpiredCredentials.instruction(ExpiredCredentials.Role.MASTER), e);
        }
    }

    /** kubeadm's DecryptBytes: nonce ‖ ciphertext ‖ tag with the hex certificate key (32 bytes). */
    public static byte[] decrypt(byte[] encrypted, String certificateKeyHex) throws AEADBadTagException {
        byte[] key = HexFormat.of().parseHex(certificateKeyHex);
        if (key.length != 32) {
            throw new IllegalArgumentException("a certificate key is 32 bytes (64 hex digits), not " + key.length);
        }
        if (encrypted.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("encrypted data is shorter than nonce and tag");
        }
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, encrypted, 0, NONCE_BYTES));
            return gcm.doFinal(encrypted, NONCE_BYTES, encrypted.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot do AES-256-GCM: " + e.getMessage(), e);
        }
    }
}
