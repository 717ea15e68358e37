package io.kubestead.agent.bundle;

import io.kubestead.agent.spec.InputFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/**
 * Ed25519 over the exact bytes of manifest.json. Keys are PEM as openssl writes them: the private key PKCS#8
 * ("PRIVATE KEY", RFC 8410 v1), the public key SubjectPublicKeyInfo ("PUBLIC KEY").
 *
 * <p>Uses the JDK's own EdDSA (SunEC, module jdk.crypto.ec), not BouncyCastle: loading any class from the signed
 * BouncyCastle jars makes the JVM verify their jar signatures first, about 0.1 s of every {@code bundle verify}.
 */
public final class BundleSignature {
    public static final int SIGNATURE_BYTES = 64;
    /** The agent jar's built-in trusted key, if the release build put one there. */
    public static final String TRUSTED_KEY_RESOURCE = "io/kubestead/agent/bundle/trusted-bundle-key.pub";

    private static final String ED25519 = "Ed25519";
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";

    private BundleSignature() {
    }

    /** A new key pair; write it with {@link #privateKeyPem} and {@link #publicKeyPem}. */
    public static KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(ED25519);
            g.initialize(NamedParameterSpec.ED25519, random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime has no Ed25519 (module jdk.crypto.ec missing?)", e);
        }
    }

    public static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signer = Signature.getInstance(ED25519);
            signer.initSign(key);
            signer.update(message);
            return signer.sign();
        } catch (InvalidKeyException e) {
            throw new BundleException("not an Ed25519 private key: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (signature.length != SIGNATURE_BYTES) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(ED25519);
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (SignatureException e) {
            return false; // malformed signature (e.g. S not below the group order)
        } catch (InvalidKeyException e) {
            throw new BundleException("not an Ed25519 public key: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PKCS#8 v1 (no embedded public key), as openssl writes and reads it. */
    public static byte[] privateKeyPem(PrivateKey key) {
        return pem(PRIVATE, key.getEncoded());
    }

    public static byte[] publicKeyPem(PublicKey key) {
        return pem(PUBLIC, key.getEncoded());
    }

    /** Reads a PKCS#8 PEM Ed25519 private key; {@code source} names it in the error. */
    public static PrivateKey readPrivateKey(byte[] pem, String source) {
        Pem block = Pem.parse(pem, source);
        if (block.label().equals(PRIVATE)) {
            try {
                return KeyFactory.getInstance(ED25519).generatePrivate(new PKCS8EncodedKeySpec(block.der()));
            } catch (GeneralSecurityException | RuntimeException e) {
                // another algorithm's key or bad DER: the message below says what is expected
            }
        }
        throw new BundleException(source + ": not an Ed25519 private key in PKCS#8 PEM (BEGIN PRIVATE KEY); make one with 'installer keygen'");
    }

    /** Reads a SubjectPublicKeyInfo PEM Ed25519 public key; {@code source} names it in the error. */
    public static PublicKey readPublicKey(byte[] pem, String source) {
        Pem block = Pem.parse(pem, source);
        if (block.label().equals(PUBLIC)) {
            try {
                return KeyFactory.getInstance(ED25519).generatePublic(new X509EncodedKeySpec(block.der()));
            } catch (GeneralSecurityException | RuntimeException e) {
                // as above
            }
        }
        throw new BundleException(source + ": not an Ed25519 public key in PEM (BEGIN PUBLIC KEY)");
    }

    /**
     * The key bundles are checked against: the one in {@code file} when given, else the one built into the agent;
     * empty when neither exists (the caller then refuses, unless told to skip the signature).
     */
    public static Optional<PublicKey> trustedKey(Path file) throws IOException {
        if (file != null) {
            // a user-named file: only a regular file of key size (a FIFO or /dev/zero is refused, not read)
            return Optional.of(readPublicKey(InputFile.read(file, InputFile.PEM_LIMIT),
                    io.kubestead.agent.spec.Shown.quoted(file.toString())));
        }
        return builtInTrustedKey();
    }

    /** The key built into the agent jar, if any. */
    public static Optional<PublicKey> builtInTrustedKey() {
        try (InputStream in = BundleSignature.class.getClassLoader().getResourceAsStream(TRUSTED_KEY_RESOURCE)) {
            return in == null ? Optional.empty() : Optional.of(readPublicKey(in.readAllBytes(), TRUSTED_KEY_RESOURCE));
        } catch (IOException e) {
            throw new BundleException("cannot read " + TRUSTED_KEY_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** 64-column base64 between BEGIN and END lines, as openssl and BouncyCastle's PemWriter write it. */
    private static byte[] pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The first PEM block of a file: its label and decoded bytes. Text around it is ignored, as openssl does. */
    private record Pem(String label, byte[] der) {
        static Pem parse(byte[] pem, String source) {
            String text = new String(pem, StandardCharsets.US_ASCII);
            int begin = text.indexOf("-----BEGIN ");
            int labelEnd = begin < 0 ? -1 : text.indexOf("-----", begin + 11);
            if (labelEnd < 0) {
                throw new BundleException(source + ": no PEM block found");
            }
            String label = text.substring(begin + 11, labelEnd);
            String endLine = "-----END " + label + "-----";
            int end = text.indexOf(endLine, labelEnd + 5);
            if (end < 0) {
                throw new BundleException(source + ": not valid PEM (no '" + endLine + "' line)");
            }
            try {
                String body = text.substring(labelEnd + 5, end).replaceAll("\\s+", "");
                return new Pem(label, Base64.getDecoder().decode(body));
            } catch (IllegalArgumentException e) {
                throw new BundleException(source + ": not valid PEM (" + e.getMessage() + ")");
            }
        }
    }
}
