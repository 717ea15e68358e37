package io.kubestead.agent.lb;

import io.kubestead.agent.spec.HostPort;
import io.kubestead.agent.tls.TrustAnyServer;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Confirms that an external balancer really forwards to this master: opens TLS connections to the
 * balancer and compares the certificate presented with this master's API server certificate. Each master has its
 * own serving certificate, so a match proves the connection ended at this API server, through a TCP passthrough.
 * Nothing but a TLS handshake is sent, so trusting any certificate here leaks nothing.
 */
public final class ExternalBalancerCheck {
    private final Duration timeout;
    private final int attempts;

    /** {@code attempts} connections per round (a round-robin balancer spreads them over its targets). */
    public ExternalBalancerCheck(Duration timeout, int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts " + attempts);
        }
        this.timeout = timeout;
        this.attempts = attempts;
    }

    /** One round; succeeds at the first connection that reaches this master. */
    public BalancerCheckResult check(HostPort balancer, String thisMaster, X509Certificate localApiserver) {
        List<String> problems = new ArrayList<>();
        int other = 0;
        int done = 0;
        for (int i = 0; i < attempts; i++) {
            done++;
            try {
                X509Certificate seen = presentedCertificate(balancer);
                if (Arrays.equals(seen.getEncoded(), localApiserver.getEncoded())) {
                    return new BalancerCheckResult(balancer.toString(), thisMaster, done, 1, other, problems);
                }
                other++;
                problems.add(seen.getIssuerX500Principal().equals(localApiserver.getIssuerX500Principal())
                        ? "reached another API server of this cluster (" + seen.getSubjectX500Principal().getName() + ")"
                        : "reached a server whose certificate is not from this cluster's CA (issuer "
                        + seen.getIssuerX500Principal().getName() + "): TLS terminated by the balancer, or a wrong target");
            } catch (ConnectException e) {
                problems.add("connection refused: nothing listens on " + balancer + ", or it has no healthy target");
            } catch (SocketTimeoutException e) {
                problems.add("timed out after " + timeout.toMillis() + " ms (firewall, or no hairpinning back to this master)");
            } catch (SSLException e) {
                problems.add("TLS handshake failed (" + e.getMessage() + "): an HTTP-mode balancer, or the connection was"
                        + " closed at once because no target is healthy");
            } catch (IOException | GeneralSecurityException e) {
                problems.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        return new BalancerCheckResult(balancer.toString(), thisMaster, done, 0, other, problems);
    }

    /** Repeats rounds, a second apart, until one succeeds or {@code patience} is over (new targets need checks). */
    public BalancerCheckResult checkUntil(HostPort balancer, String thisMaster, X509Certificate localApiserver,
                                          Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            BalancerCheckResult r = check(balancer, thisMaster, localApiserver);
            if (r.ok() || System.nanoTime() > deadline) {
                return r;
            }
            Thread.sleep(1000);
        }
    }

    /** The first certificate of a PEM file such as /etc/kubernetes/pki/apiserver.crt. */
    public static X509Certificate readCertificate(byte[] pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
        }
    }

    private X509Certificate presentedCertificate(HostPort target) throws IOException, GeneralSecurityException {
        int ms = (int) timeout.toMillis();
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(target.host(), target.port()), ms);
            raw.setSoTimeout(ms);
            try (SSLSocket tls = (SSLSocket) TrustAnyServer.context().getSocketFactory()
                    .createSocket(raw, target.host(), target.port(), false)) {
                tls.startHandshake();
                Certificate[] chain = tls.getSession().getPeerCertificates();
                return (X509Certificate) chain[0];
            }
        }
    }
}
