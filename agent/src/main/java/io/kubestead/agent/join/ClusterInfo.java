package io.kubestead.agent.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubestead.agent.kubeadm.BootstrapToken;
import io.kubestead.agent.pki.CaHash;
import io.kubestead.agent.pki.Pem;
import io.kubestead.agent.tls.TrustAnyServer;
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
 * without verifying the server, then accept its kubeconfig only if its {@link ClusterInfoSignature} for the join
 * token's id verifies with the token (it comes from the cluster the token belongs to, unaltered) and the CA in it
 * has the public-key pin of the {@code ca-hash} from the join command. Both must pass, as in kubeadm. Every later
 * call trusts only that CA, so a server that merely copied the public CA into a fake cluster-info cannot answer them.
 */
public final class ClusterInfo {
    public static final String PATH = "/api/v1/namespaces/kube-public/configmaps/cluster-info";
    static final Duration RETRY = Duration.ofSeconds(1);

    private ClusterInfo() {
    }

    /**
     * The pinned cluster CA (PEM) the API server at {@code server} publishes, signed for {@code token}. An
     * unreachable or unavailable (5xx) server is retried for {@code patience}: a joining master's path to the API
     * may be a balancer that has just been started (kubeadm's discovery retries too). So is a cluster-info without a
     * signature for the token's id, which the bootstrap signer adds shortly after a token is made (kubeadm waits
     * for it the same way); once patience is over it means the token is unknown to the cluster.
     */
    public static String pinnedCa(URI server, BootstrapToken token, String caHash, Duration timeout, Duration patience,
            Clock clock, Sleeper sleeper, Consumer<String> progress) {
        // HTTP/1.1: the real kube-apiserver ends the JDK client's HTTP/2 connections with GOAWAY before any answer
        HttpClient http = HttpClient.newBuilder().sslContext(TrustAnyServer.context())
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        Instant deadline = clock.instant().plus(patience);
        String told = null;
        while (true) {
            String failure;
            JoinGateException unsigned = null;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.resolve(PATH)).timeout(timeout).GET()
                        .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    JsonNode data = dataOf(server, r.body());
                    String kubeconfig = data.path("kubeconfig").asText("");
                    if (kubeconfig.isEmpty()) {
                        throw new JoinGateException("kube-public/cluster-info from " + server + " has no kubeconfig;"
                                + " is " + server + " this cluster's API endpoint?");
                    }
                    String signature = data.path(ClusterInfoSignature.key(token)).asText("");
                    if (!signature.isEmpty()) {
                        if (!ClusterInfoSignature.matches(signature, kubeconfig, token)) {
                            throw new JoinGateException("kube-public/cluster-info from " + server + " does not match"
                                    + " its signature for token id " + token.id() + ": the join token is wrong or the"
                                    + " answer was altered on the way; check the endpoint, or run 'kubestead"
                                    + " join-script master' on a master and use the new command");
                        }
                        return pin(server, caOf(server, kubeconfig), caHash);
                    }
                    unsigned = new JoinGateException("kube-public/cluster-info from " + server + " has no signature"
                            + " for token id " + token.id() + ", so this cluster does not know the join token; "
                            + ExpiredCredentials.instruction(ExpiredCredentials.Role.MASTER));
                    failure = "no signature for token id " + token.id() + " in cluster-info";
                } else if (r.statusCode() / 100 != 5) {
                    throw new JoinGateException("the API server " + server + " answered HTTP " + r.statusCode()
                            + " for kube-public/cluster-info; is " + server + " this cluster's API endpoint?");
                } else {
                    failure = "HTTP " + r.statusCode();
                }
            } catch (IOException e) {
                failure = e.getMessage() == null ? e.toString() : e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JoinGateException("interrupted fetching cluster-info from " + server, e);
            }
            if (!clock.instant().isBefore(deadline)) {
                throw unsigned != null ? unsigned : new JoinGateException("cannot reach the API server " + server
                        + " for cluster-info: " + failure + "; check that this host reaches the cluster's API endpoint");
            }
            String kind = unsigned != null ? "unsigned" : "unreachable";
            if (!kind.equals(told)) {
                progress.accept(unsigned != null
                        ? "kube-public/cluster-info from " + server + " has no signature for token id " + token.id()
                                + " yet, waiting up to " + patience.toSeconds() + " s for the bootstrap signer"
                        : "cannot reach the API server " + server + " yet (" + failure + "), retrying for up to "
                                + patience.toSeconds() + " s");
                told = kind;
            }
            try {
                sleeper.sleep(RETRY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JoinGateException("interrupted fetching cluster-info from " + server, e);
            }
        }
    }

    /** The {@code data} of the cluster-info ConfigMap JSON. */
    static JsonNode dataOf(URI server, String configMapJson) {
        try {
            return new ObjectMapper().readTree(configMapJson).path("data");
        } catch (IOException e) {
            throw new JoinGateException("kube-public/cluster-info from " + server + " is not a ConfigMap: "
                    + e.getMessage(), e);
        }
    }

    /** The CA from the cluster-info kubeconfig: the first cluster's certificate-authority-data. */
    static List<X509Certificate> caOf(URI server, String kubeconfig) {
        try {
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
