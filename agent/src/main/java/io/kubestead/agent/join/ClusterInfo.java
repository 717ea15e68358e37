package io.kubestead.agent.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubestead.agent.pki.CaHash;
import io.kubestead.agent.pki.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * kubeadm's token discovery, the part that matters for trust: fetch {@code kube-public/cluster-info} anonymously
 * without verifying the server, then accept the CA in its kubeconfig only if its public-key pin equals the
 * {@code ca-hash} from the join command. Every later call trusts only that CA, so a server that merely copied the
 * public CA into a fake cluster-info cannot answer them.
 */
public final class ClusterInfo {
    public static final String PATH = "/api/v1/namespaces/kube-public/configmaps/cluster-info";
    static final Duration RETRY = Duration.ofSeconds(1);

    private ClusterInfo() {
    }

    /**
     * The pinned cluster CA (PEM) the API server at {@code server} publishes. An unreachable or unavailable (5xx)
     * server is retried for {@code patience}: a joining master's path to the API may be a balancer that has just
     * been started (kubeadm's discovery retries too).
     */
    public static String pinnedCa(URI server, String caHash, Duration timeout, Duration patience, Clock clock,
            Sleeper sleeper, Consumer<String> progress) {
        HttpClient http = HttpClient.newBuilder().sslContext(TrustAnyServer.context()).connectTimeout(timeout).build();
        Instant deadline = clock.instant().plus(patience);
        boolean told = false;
        while (true) {
            String failure;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.resolve(PATH)).timeout(timeout).GET()
                        .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return pin(server, caOf(server, r.body()), caHash);
                }
                if (r.statusCode() / 100 != 5) {
                    throw new JoinGateException("the API server " + server + " answered HTTP " + r.statusCode()
                            + " for kube-public/cluster-info; is " + server + " this cluster's API endpoint?");
                }
                failure = "HTTP " + r.statusCode();
            } catch (IOException e) {
                failure = e.getMessage() == null ? e.toString() : e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JoinGateException("interrupted fetching cluster-info from " + server, e);
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new JoinGateException("cannot reach the API server " + server + " for cluster-info: " + failure
                        + "; check that this host reaches the cluster's API endpoint");
            }
            if (!told) {
                progress.accept("cannot reach the API server " + server + " yet (" + failure + "), retrying for up to "
                        + patience.toSeconds() + " s");
                told = true;
            }
            try {
                sleeper.sleep(RETRY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JoinGateException("interrupted fetching cluster-info from " + server, e);
            }
        }
    }

    /** The CA from the cluster-info ConfigMap JSON: data.kubeconfig, first cluster's certificate-authority-data. */
    static List<X509Certificate> caOf(URI server, String configMapJson) {
        try {
            JsonNode cm = new ObjectMapper().readTree(configMapJson);
            String kubeconfig = cm.path("data").path("kubeconfig").asText("");
            JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(kubeconfig);
            String data = config == null ? "" : config.path("clusters").path(0).path("cluster")
                    .path("certificate-authority-data").asText("");
            if (data.isEmpty()) {
                throw new JoinGateException("kube-public/cluster-info from " + server + " carries no CA certificate");
            }
            return Pem.certificates(Base64.getDecoder().decode(data));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new JoinGateException("kube-public/cluster-info from " + server + " is not a valid kubeconfig with a CA: "
                    + e.getMessage(), e);
        }
    }

    /** The certificate whose pin matches, as PEM; kubeadm too accepts any CA in the bundle that matches. */
    static String pin(URI server, List<X509Certificate> cas, String caHash) {
        for (X509Certificate ca : cas) {
            if (CaHash.of(ca).equals(caHash)) {
                return new String(Pem.certificate(ca), StandardCharsets.US_ASCII);
            }
        }
        throw new JoinGateException("the API server " + server + " presents a cluster CA whose hash ("
                + CaHash.of(cas.get(0)) + ") is not the join command's ca-hash (" + caHash + "): this is not the"
                + " cluster the command was made for, or someone is in between; check the endpoint, or run"
                + " 'kubestead join-script master' on a master of the right cluster");
    }
}
