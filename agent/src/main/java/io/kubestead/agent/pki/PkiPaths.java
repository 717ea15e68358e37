package io.kubestead.agent.pki;

/** kubeadm's default locations on a host. */
public final class PkiPaths {
    public static final String KUBERNETES_DIR = "/etc/kubernetes";
    public static final String PKI_DIR = KUBERNETES_DIR + "/pki";

    private PkiPaths() {
    }

    public static String crt(String baseName) {
        return PKI_DIR + "/" + baseName + ".crt";
    }

    public static String key(String baseName) {
        return PKI_DIR + "/" + baseName + ".key";
    }

    public static String kubeconfig(String fileName) {
        return KUBERNETES_DIR + "/" + fileName;
    }

    public static String saKey() {
        return PKI_DIR + "/sa.key";
    }

    public static String saPub() {
        return PKI_DIR + "/sa.pub";
    }
}
