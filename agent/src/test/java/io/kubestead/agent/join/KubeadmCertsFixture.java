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

    /** The ConfigMap kube-public/cluster-info as kubeadm's bootstrap-token phase writes it. */
    public static ObjectNode clusterInfo(String caPem, String server) {
        String kubeconfig = "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority-data: "
                + Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)) + "\n    server: " + server
                + "\n  name: \"\"\ncontexts: null\ncurrent-context: \"\"\npreferences: {}\nusers: null\n";
        ObjectNode cm = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        cm.putObject("metadata").put("name", "cluster-info").put("namespace", "kube-public");
        cm.putObject("data").put("kubeconfig", kubeconfig);
        return cm;
    }
}
