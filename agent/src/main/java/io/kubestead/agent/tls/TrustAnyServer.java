package io.kubestead.agent.tls;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;

/**
 * Trusts any server, without hostname checks, for the two reads whose answer is checked by other means afterwards:
 * the join's anonymous cluster-info read (its CA pin and signature) and the external balancer check (the presented
 * certificate must be this master's own), and for the loopback health probes of a master's own components, which
 * send nothing and read only a status code. Extending the extended trust manager keeps the JDK from adding its own
 * checks.
 */
public final class TrustAnyServer extends javax.net.ssl.X509ExtendedTrustManager {
    public static SSLContext context() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {new TrustAnyServer()}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket s) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket s) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine e) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine e) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
