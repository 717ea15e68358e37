package io.kubestead.agent.controlplane;

import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.tls.TrustAnyServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Whether a control-plane component answers: DOWN when nothing listens (its process is gone), NOT_READY when it
 * answers but is not ready, READY on HTTP 200. A component that lost its etcd quorum still answers, so "stopped"
 * means DOWN, never just "unhealthy".
 */
public interface Probe {
    enum State { DOWN, NOT_READY, READY }

    /** What was seen, and the certificate the component served (when the probe sees it). */
    record Seen(State state, Optional<X509Certificate> served, String detail) {
    }

    Seen look();

    String describe();

    /** A health URL probed from the agent, over TLS with the given context (the served certificate is kept). */
    static Probe https(URI url, SSLContext tls) {
        HttpClient http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        return new Probe() {
            @Override
            public Seen look() {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET()
                            .build(), HttpResponse.BodyHandlers.ofString());
                    Optional<X509Certificate> cert = r.sslSession().flatMap(s -> {
                        try {
                            Certificate[] chain = s.getPeerCertificates();
                            return chain.length > 0 && chain[0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
                        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                            return Optional.empty();
                        }
                    });
                    String body = r.body().length() > 200 ? r.body().substring(0, 200) : r.body();
                    return new Seen(r.statusCode() == 200 ? State.READY : State.NOT_READY, cert,
                            "HTTP " + r.statusCode() + " " + body.strip());
                } catch (ConnectException | HttpConnectTimeoutException e) {
                    return new Seen(State.DOWN, Optional.empty(), e.toString());
                } catch (IOException e) {
                    // a reset during the TLS handshake or a timeout: something listens, or is going away
                    return new Seen(isRefused(e) ? State.DOWN : State.NOT_READY, Optional.empty(), e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Seen(State.NOT_READY, Optional.empty(), "interrupted");
                }
            }

            @Override
            public String describe() {
                return url.toString();
            }
        };
    }

    private static boolean isRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A health URL on the master's loopback (the controller-manager's and the scheduler's), probed with curl on the
     * host: curl's exit 7 is "nothing listens".
     */
    static Probe curl(Host host, String url) {
        return new Probe() {
            private Probe direct;

            @Override
            public Seen look() {
                if (direct != null) {
                    return direct.look();
                }
                ExecResult r = host.run(Command.of("curl", "--silent", "--insecure", "--max-time", "4", "--output",
                        "/dev/null", "--write-out", "%{http_code}", url).withTimeout(Duration.ofSeconds(10)));
                if (r.exitCode() == 127) {
                    // no curl on this master: the agent runs on it, so it asks the loopback port itself, without
                    // verifying the component's self-signed serving certificate (as the kubelet's https probes do)
                    direct = https(URI.create(url), TrustAnyServer.context()); // loopback health: sends nothing
                    return direct.look();
                }
                if (r.exitCode() == 7) {
                    return new Seen(State.DOWN, Optional.empty(), "nothing listens");
                }
                String code = r.stdout().strip();
                return new Seen(r.ok() && code.equals("200") ? State.READY : State.NOT_READY, Optional.empty(),
                        "curl " + r.outcome() + " HTTP " + code);
            }

            @Override
            public String describe() {
                return url;
            }
        };
    }
}
