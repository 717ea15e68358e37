package io.kubestead.agent.pki;

import io.kubestead.agent.spec.SpecException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The key types kubeadm's v1beta4 {@code encryptionAlgorithm} allows, by the user's word and kubeadm's name. */
public enum KeyAlgorithm {
    RSA_2048("rsa-2048", "RSA-2048"),
    RSA_3072("rsa-3072", "RSA-3072"),
    RSA_4096("rsa-4096", "RSA-4096"),
    ECDSA_P256("ecdsa-p256", "ECDSA-P256");

    private final String word;
    private final String kubeadmName;

    KeyAlgorithm(String word, String kubeadmName) {
        this.word = word;
        this.kubeadmName = kubeadmName;
    }

    /** Parses the value of {@code key-algorithm=}; throws {@link SpecException} naming the valid values. */
    public static KeyAlgorithm fromWord(String value) {
        for (KeyAlgorithm a : values()) {
            if (a.word.equalsIgnoreCase(value) || a.kubeadmName.equalsIgnoreCase(value)) {
                return a;
            }
        }
        throw new SpecException("key-algorithm=" + value + " is not known; use one of "
                + Arrays.stream(values()).map(KeyAlgorithm::word).collect(Collectors.joining(", ")));
    }

    /** The type of an existing public key, so that renewal keeps what the cluster uses. */
    public static KeyAlgorithm of(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            return bits > 3072 ? RSA_4096 : bits > 2048 ? RSA_3072 : RSA_2048;
        }
        if (key instanceof ECPublicKey) {
            return ECDSA_P256;
        }
        throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
    }

    public String word() {
        return word;
    }

    /** The value of kubeadm v1beta4 {@code ClusterConfiguration.encryptionAlgorithm}. */
    public String kubeadmName() {
        return kubeadmName;
    }

    /** RSA modulus size; 256 for P-256. */
    public int bits() {
        return isRsa() ? Integer.parseInt(word.substring(4)) : 256;
    }

    public boolean isRsa() {
        return this != ECDSA_P256;
    }

    /** The signature a CA with this key makes, as Go's x509 picks by default. */
    public String signatureAlgorithm() {
        return isRsa() ? "SHA256withRSA" : "SHA256withECDSA";
    }

    /** A new key pair from the JDK's own generator (SunRsaSign, SunEC); RSA with e = 65537. */
    public KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator g;
            if (isRsa()) {
                g = KeyPairGenerator.getInstance("RSA");
                g.initialize(new RSAKeyGenParameterSpec(bits(), RSAKeyGenParameterSpec.F4), random);
            } else {
                g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"), random);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make " + kubeadmName + " keys", e);
        }
    }
}
