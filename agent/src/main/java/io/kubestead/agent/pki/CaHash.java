package io.kubestead.agent.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** kubeadm's discovery-token CA cert hash: sha256 over the CA's DER SubjectPublicKeyInfo (RFC 7469 pin). */
public final class CaHash {
    private CaHash() {
    }

    public static String of(X509Certificate ca) {
        try {
            byte[] spki = ca.getPublicKey().getEncoded();
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
