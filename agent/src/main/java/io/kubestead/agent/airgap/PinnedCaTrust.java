package io.kubestead.agent.airgap;

import io.kubestead.agent.pki.CaHash;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts a server whose chain carries the CA the join command's ca-hash pins (sha256 of its SubjectPublicKeyInfo,
 * as kubeadm's discovery does): that CA becomes the only trust anchor and the chain is then checked by the JDK's
 * PKIX rules (signatures, validity, usage). The HTTP client still checks the address against the certificate.
 */
final class PinnedCaTrust implements X509TrustManager {
    private final String caHash;

    PinnedCaTrust(String caHash) {
        this.caHash = caHash;
    }

    static SSLContext context(String caHash) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new PinnedCaTrust(caHash)}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        X509Certificate ca = Arrays.stream(chain).filter(c -> c.getBasicConstraints() >= 0)
                .filter(c -> CaHash.of(c).equalsIgnoreCase(caHash)).findFirst()
                .orElseThrow(() -> new CertificateException("the server's certificate is not from the cluster CA that"
                        + " ca-hash " + caHash + " pins"));
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("cluster-ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(anchors);
            ((X509TrustManager) tmf.getTrustManagers()[0]).checkServerTrusted(chain, authType);
        } catch (GeneralSecurityException | java.io.IOException e) {
            if (e instanceof CertificateException ce) {
                throw ce;
            }
            throw new CertificateException(e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this trust manager only checks servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
