package io.kubestead.agent.join;

import io.kubestead.agent.kubeadm.BootstrapToken;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The detached JWS that the bootstrap signer (kube-controller-manager) puts into kube-public/cluster-info under
 * {@code jws-kubeconfig-<token id>} for every bootstrap token with the signing usage: HS256 over the
 * {@code kubeconfig} value, keyed with the token's secret part, header {@code {"alg":"HS256","kid":"<id>"}}, compact
 * serialization without the payload ({@code header..signature}, RFC 7515 appendix F). Only someone who knows the
 * token can make it, so it proves that the answer comes from the cluster the token belongs to
 * (k8s.io/cluster-bootstrap/token/jws).
 */
final class ClusterInfoSignature {
    /** ConfigMap data key prefix (k8s.io/cluster-bootstrap/token/api JWSSignatureKeyPrefix). */
    static final String KEY_PREFIX = "jws-kubeconfig-";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private ClusterInfoSignature() {
    }

    /** The data key holding the signature for {@code token}. */
    static String key(BootstrapToken token) {
        return KEY_PREFIX + token.id();
    }

    /** The detached signature the bootstrap signer computes for {@code kubeconfig} and {@code token}. */
    static String detached(String kubeconfig, BootstrapToken token) {
        return detached(kubeconfig, token.id(), token.secret());
    }

    /** The same for any key id and non-empty secret (k8s' own test vectors use ones no bootstrap token has). */
    static String detached(String content, String keyId, String secret) {
        // go-jose writes the protected header with its keys sorted; token ids are [a-z0-9]{6}, nothing to escape
        String header = B64URL.encodeToString(("{\"alg\":\"HS256\",\"kid\":\"" + keyId + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        String signingInput = header + "." + B64URL.encodeToString(content.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // keyed with the secret alone, not "id.secret"; the signer zero-pads it to 32 bytes, which HMAC's own
            // zero-padding of short keys makes a no-op
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] sig = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
            return header + ".." + B64URL.encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    /**
     * Whether {@code published} is the signature of {@code kubeconfig} under {@code token}: the whole compact string
     * is compared, as kubeadm does, in constant time.
     */
    static boolean matches(String published, String kubeconfig, BootstrapToken token) {
        return MessageDigest.isEqual(published.getBytes(StandardCharsets.UTF_8),
                detached(kubeconfig, token).getBytes(StandardCharsets.UTF_8));
    }
}
