package io.kubestead.agent.pki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.Base64;

/**
 * A kubeconfig with embedded CA, client certificate and key, laid out as kubeadm writes it: cluster named after
 * the cluster, user named after the client CN, context {@code <CN>@<cluster>}; {@code preferences} says whether
 * it has the {@code preferences: {}} line that kubeadm up to 1.33 writes ({@link VersionRules#kubeconfigPreferences}).
 */
public record Kubeconfig(String clusterName, String server, byte[] caPem, String userName, byte[] certPem, byte[] keyPem,
                         boolean preferences) {

    public String render() {
        String context = userName + "@" + clusterName;
        return "apiVersion: v1\n"
                + "clusters:\n"
                + "- cluster:\n"
                + "    certificate-authority-data: " + b64(caPem) + "\n"
                + "    server: " + server + "\n"
                + "  name: " + quote(clusterName) + "\n"
                + "contexts:\n"
                + "- context:\n"
                + "    cluster: " + quote(clusterName) + "\n"
                + "    user: " + quote(userName) + "\n"
                + "  name: " + quote(context) + "\n"
                + "current-context: " + quote(context) + "\n"
                + "kind: Config\n"
                + (preferences ? "preferences: {}\n" : "")
                + "users:\n"
                + "- name: " + quote(userName) + "\n"
                + "  user:\n"
                + "    client-certificate-data: " + b64(certPem) + "\n"
                + "    client-key-data: " + b64(keyPem) + "\n";
    }

    /** Reads the first cluster and user of a kubeconfig with embedded data. */
    public static Kubeconfig parse(byte[] yaml) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        if (root == null || !root.path("clusters").has(0) || !root.path("users").has(0)) {
            throw new IOException("not a kubeconfig with a cluster and a user");
        }
        JsonNode cluster = root.path("clusters").get(0);
        JsonNode user = root.path("users").get(0);
        return new Kubeconfig(cluster.path("name").asText(), cluster.path("cluster").path("server").asText(),
                unb64(cluster.path("cluster").path("certificate-authority-data").asText()), user.path("name").asText(),
                unb64(user.path("user").path("client-certificate-data").asText()),
                unb64(user.path("user").path("client-key-data").asText()), root.has("preferences"));
    }

    /**
     * The client certificate file a kubeconfig names instead of embedding one, if any: kubeadm rewrites the init
     * node's kubelet.conf to point at /var/lib/kubelet/pki/kubelet-client-current.pem once the kubelet rotates.
     */
    public static java.util.Optional<String> clientCertificateFile(byte[] yaml) throws IOException {
        JsonNode user = new ObjectMapper(new YAMLFactory()).readTree(yaml).path("users").path(0).path("user");
        return user.hasNonNull("client-certificate") && !user.hasNonNull("client-certificate-data")
                ? java.util.Optional.of(user.get("client-certificate").asText()) : java.util.Optional.empty();
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static byte[] unb64(String s) throws IOException {
        try {
            return Base64.getDecoder().decode(s.strip());
        } catch (IllegalArgumentException e) {
            throw new IOException("bad base64 in kubeconfig", e);
        }
    }

    /** Plain YAML scalars for ordinary names (as client-go writes them), double quotes for anything odd. */
    private static String quote(String s) {
        return s.matches("[A-Za-z0-9][A-Za-z0-9:.@_-]*") ? s : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
