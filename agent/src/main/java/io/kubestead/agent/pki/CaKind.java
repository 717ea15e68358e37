package io.kubestead.agent.pki;

/** kubeadm's three certificate authorities, with their files, subjects and the user's words for bringing one. */
public enum CaKind {
    CA("ca", "ca", "kubernetes", "ca-cert", "ca-key"),
    ETCD("etcd-ca", "etcd/ca", "etcd-ca", "etcd-ca-cert", "etcd-ca-key"),
    FRONT_PROXY("front-proxy-ca", "front-proxy-ca", "front-proxy-ca", "front-proxy-ca-cert", "front-proxy-ca-key");

    private final String kubeadmName;
    private final String baseName;
    private final String commonName;
    private final String certWord;
    private final String keyWord;

    CaKind(String kubeadmName, String baseName, String commonName, String certWord, String keyWord) {
        this.kubeadmName = kubeadmName;
        this.baseName = baseName;
        this.commonName = commonName;
        this.certWord = certWord;
        this.keyWord = keyWord;
    }

    public String kubeadmName() {
        return kubeadmName;
    }

    /** The file name under the pki directory without {@code .crt}/{@code .key}, e.g. {@code etcd/ca}. */
    public String baseName() {
        return baseName;
    }

    public String commonName() {
        return commonName;
    }

    /** The install word naming a user's CA certificate file, e.g. {@code etcd-ca-cert}. */
    public String certWord() {
        return certWord;
    }

    public String keyWord() {
        return keyWord;
    }
}
