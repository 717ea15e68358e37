package io.kubestead.agent.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Ed25519 over the exact bytes of manifest.json. Keys are PEM as openssl writes them: the private key PKCS#8
 * ("PRIVATE KEY"), the public key SubjectPublicKeyInfo ("PUBLIC KEY").
 */
public final class BundleSignature {
    public static final int SIGNATURE_BYTES = Ed25519PrivateKeyParameters.SIGNATURE_SIZE;
    /** The agent jar's built-in trusted key, if the release build put one there. */
    public static final String TRUSTED_KEY_RESOURCE = "io/kubestead/agent/bundle/trusted-bundle-key.pub";

    private BundleSignature() {
    }

    public static Ed25519PrivateKeyParameters generate(SecureRandom random) {
        return new Ed25519PrivateKeyParameters(random);
    }

    public static byte[] sign(Ed25519PrivateKeyParameters key, byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    public static boolean verify(Ed25519PublicKeyParameters key, byte[] message, byte[] signature) {
        if (signature.length != SIGNATURE_BYTES) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    public static byte[] privateKeyPem(Ed25519PrivateKeyParameters key) {
        try {
            // RFC 8410 v1 form (no embedded public key), as openssl writes and reads it.
            PrivateKeyInfo info = new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
                    new DEROctetString(key.getEncoded()));
            return pem("PRIVATE KEY", info.getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] publicKeyPem(Ed25519PublicKeyParameters key) {
        try {
            return pem("PUBLIC KEY", SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key).getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a PKCS#8 PEM Ed25519 private key; {@code source} names it in the error. */
    public static Ed25519PrivateKeyParameters readPrivateKey(byte[] pem, String source) {
        Object o = parsePem(pem, source);
        try {
            if (o instanceof PrivateKeyInfo info
                    && PrivateKeyFactory.createKey(info) instanceof Ed25519PrivateKeyParameters key) {
                return key;
            }
        } catch (IOException | RuntimeException e) {
            throw new BundleException(source + ": not a readable private key (" + e.getMessage() + ")");
        }
        throw new BundleException(source + ": not an Ed25519 private key in PKCS#8 PEM (BEGIN PRIVATE KEY); make one with 'installer keygen'");
    }

    /** Reads a SubjectPublicKeyInfo PEM Ed25519 public key; {@code source} names it in the error. */
    public static Ed25519PublicKeyParameters readPublicKey(byte[] pem, String source) {
        Object o = parsePem(pem, source);
        try {
            if (o instanceof SubjectPublicKeyInfo info) {
                AsymmetricKeyParameter key = PublicKeyFactory.createKey(info);
                if (key instanceof Ed25519PublicKeyParameters ed) {
                    return ed;
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new BundleException(source + ": not a readable public key (" + e.getMessage() + ")");
        }
        throw new BundleException(source + ": not an Ed25519 public key in PEM (BEGIN PUBLIC KEY)");
    }

    /**
     * The key bundles are checked against: the one in {@code file} when given, else the one built into the agent;
     * empty when neither exists (the caller then refuses, unless told to skip the signature).
     */
    public static Optional<Ed25519PublicKeyParameters> trustedKey(java.nio.file.Path file) throws IOException {
        if (file != null) {
            return Optional.of(readPublicKey(java.nio.file.Files.readAllBytes(file), file.toString()));
        }
        return builtInTrustedKey();
    }

    /** The key built into the agent jar, if any. */
    public static Optional<Ed25519PublicKeyParameters> builtInTrustedKey() {
        try (InputStream in = BundleSignature.class.getClassLoader().getResourceAsStream(TRUSTED_KEY_RESOURCE)) {
            return in == null ? Optional.empty() : Optional.of(readPublicKey(in.readAllBytes(), TRUSTED_KEY_RESOURCE));
        } catch (IOException e) {
            throw new BundleException("cannot read " + TRUSTED_KEY_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static Object parsePem(byte[] pem, String source) {
        try (PEMParser parser = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
            Object o = parser.readObject();
            if (o == null) {
                throw new BundleException(source + ": no PEM block found");
            }
            return o;
        } catch (IOException e) {
            throw new BundleException(source + ": not valid PEM (" + e.getMessage() + ")");
        }
    }

    private static byte[] pem(String type, byte[] der) throws IOException {
        StringWriter s = new StringWriter();
        try (PemWriter w = new PemWriter(s)) {
            w.writeObject(new PemObject(type, der));
        }
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
