package io.kubestead.agent.join;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** The objects kubeadm publishes for joiners, made here the way kubeadm makes them. */
public final class KubeadmCertsFixture {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KubeadmCertsFixture() {
    }

    /** kubeadm's EncryptBytes (KA/util/crypto): AES-256-GCM, random 12-byte nonce prepended, tag appended, no AAD. */
    public static byte[] encrypt(byte[] plain, String certificateKeyHex) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(HexFormat.of().parseHex(certificateKeyHex), "AES"),
                new GCMParameterSpec(128, nonce));
        byte[] sealed = gcm.doFinal(plain);
        byte[] out = new byte[nonce.length + sealed.length];
        System.arraycopy(nonce, 0, out, 0, nonce.length);
        System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
        return out;
    }

    /** The Secret kube-system/kubeadm-certs with each file encrypted under {@code certificateKeyHex}. */
    public static ObjectNode kubeadmCerts(Map<String, String> files, String certificateKeyHex) throws Exception {
        ObjectNode secret = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Secret").put("type", "Opaque");
        secret.putObject("metadata").put("name", "kubeadm-certs").put("namespace", "kube-system");
        ObjectNode data = secret.putObject("data");
        for (Map.Entry<String, String> f : files.entrySet()) {
            data.put(f.getKey(), Base64.getEncoder().encodeToString(
                    encrypt(f.getValue().getBytes(StandardCharsets.US_ASCII), certificateKeyHex)));
        }
        return secret;
    }

    /**
     * The ConfigMap kube-public/cluster-info as kubeadm's bootstrap-token phase writes it, with the bootstrap signer's
     * {@code jws-kubeconfig-<id>} for each of {@code signedFor} (full tokens).
     */
    public static ObjectNode clusterInfo(String caPem, String server, String... signedFor) {
        String kubeconfig = "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority-data: "
                + Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)) + "\n    server: " + server
                + "\n  name: \"\"\ncontexts: null\ncurrent-context: \"\"\npreferences: {}\nusers: null\n";
        ObjectNode cm = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        cm.putObject("metadata").put("name", "cluster-info").put("namespace", "kube-public");
        ObjectNode data = cm.putObject("data").put("kubeconfig", kubeconfig);
        for (String token : signedFor) {
            sign(data, token);
        }
        return cm;
    }

    /** Adds (or replaces) the bootstrap signer's signature of {@code data.kubeconfig} for {@code token}. */
    public static void sign(ObjectNode data, String token) {
        String[] idSecret = token.split("\\.", 2);
        data.put("jws-kubeconfig-" + idSecret[0], jws(data.path("kubeconfig").asText(), idSecret[0], idSecret[1]));
    }

    /**
     * The bootstrap signer's detached JWS (k8s.io/cluster-bootstrap/token/jws ComputeDetachedSignature), made here
     * independently of the agent: the HMAC comes from openssl, keyed with the token secret as the signer does.
     */
    public static String jws(String content, String tokenId, String tokenSecret) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString(("{\"alg\":\"HS256\",\"kid\":\"" + tokenId + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        String input = header + "." + b64.encodeToString(content.getBytes(StandardCharsets.UTF_8));
        return header + ".." + b64.encodeToString(opensslHmacSha256(tokenSecret, input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] opensslHmacSha256(String key, byte[] message) {
        try {
            Process p = new ProcessBuilder("openssl", "dgst", "-sha256", "-hmac", key, "-binary")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (var in = p.getOutputStream()) {
                in.write(message);
            }
            byte[] mac = p.getInputStream().readAllBytes();
            if (p.waitFor() != 0 || mac.length != 32) {
                throw new IllegalStateException("openssl dgst -hmac failed (exit " + p.exitValue() + ")");
            }
            return mac;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("openssl is needed for the cluster-info signature: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
