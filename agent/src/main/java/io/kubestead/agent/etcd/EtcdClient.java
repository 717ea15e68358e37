package io.kubestead.agent.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * A small etcd v3 cluster client over etcd's JSON gRPC gateway (the {@code /v3/...} POST endpoints etcd 3.4+
 * serves on its client port) with TLS client certificates. Cluster calls go to the first endpoint that answers;
 * etcd errors are not retried here (callers decide, as kubeadm does).
 */
public final class EtcdClient {
    private final List<URI> endpoints;
    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();

    /** @param endpoints client URLs such as {@code https://10.0.0.11:2379}; tried in order */
    public EtcdClient(List<URI> endpoints, SSLContext tls, Duration timeout) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no etcd endpoints");
        }
        this.endpoints = List.copyOf(endpoints);
        this.timeout = timeout;
        // HTTP/1.1: the gateway sits behind etcd's h2 gRPC router; plain HTTP/1.1 avoids that path entirely.
        this.http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout).build();
    }

    public List<EtcdMember> members() {
        return parseMembers(call("/v3/cluster/member/list", json.createObjectNode()).path("members"));
    }

    /** Adds a learner with this peer URL (what kubeadm does for a joining control plane). */
    public EtcdMember addLearner(String peerUrl) {
        ObjectNode body = json.createObjectNode();
        body.putArray("peerURLs").add(peerUrl);
        body.put("isLearner", true);
        return parseMember(call("/v3/cluster/member/add", body).path("member"));
    }

    /** Promotes a learner to voter; fails with {@link EtcdException#learnerNotInSync()} until it has caught up. */
    public void promote(long id) {
        call("/v3/cluster/member/promote", idBody(id));
    }

    public void remove(long id) {
        call("/v3/cluster/member/remove", idBody(id));
    }

    /** {@code etcdctl endpoint status} for one endpoint only (the member serving that client URL). */
    public EtcdEndpointStatus status(URI endpoint) {
        JsonNode r = callOne(endpoint, "/v3/maintenance/status", json.createObjectNode());
        return new EtcdEndpointStatus(unsigned(r.path("header").path("member_id")), unsigned(r.path("leader")),
                r.path("dbSize").asLong(0), r.path("dbSizeInUse").asLong(0), r.path("version").asText(""),
                r.path("isLearner").asBoolean(false));
    }

    private static long unsigned(JsonNode n) {
        String s = n.asText("0");
        return s.isEmpty() ? 0 : Long.parseUnsignedLong(s);
    }

    /** {@code GET /health} on one endpoint: true when that member has a leader and can serve a quorum read. */
    public boolean health(URI endpoint) {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/health")).timeout(timeout).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && "true".equals(json.readTree(response.body()).path("health").asText());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A member is healthy when it has started and one of its client URLs answers {@code /health}. */
    public boolean healthy(EtcdMember member) {
        return member.started() && member.clientUrls().stream().anyMatch(url -> health(URI.create(url)));
    }

    private ObjectNode idBody(long id) {
        ObjectNode body = json.createObjectNode();
        body.put("ID", Long.toUnsignedString(id)); // the gateway takes uint64 as a JSON string
        return body;
    }

    private JsonNode callOne(URI endpoint, String path, ObjectNode body) {
        return call(List.of(endpoint), path, body);
    }

    private JsonNode call(String path, ObjectNode body) {
        return call(endpoints, path, body);
    }

    private JsonNode call(List<URI> targets, String path, ObjectNode body) {
        List<String> failures = new ArrayList<>();
        for (URI endpoint : targets) {
            HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                failures.add(endpoint + ": " + e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EtcdException("interrupted while calling etcd " + path, e);
            }
            JsonNode reply = parse(endpoint, response.body());
            // etcd 3.4's gateway puts the error in "error" (and "message"); 3.5 and later only in "message", with a
            // non-200 status (e.g. 400 for "can only promote a learner member which is in sync with leader")
            if (reply.hasNonNull("error") || (response.statusCode() != 200 && reply.hasNonNull("message"))) {
                throw new EtcdException(reply.path("message").asText(reply.path("error").asText()));
            }
            if (response.statusCode() != 200) {
                throw new EtcdException("etcd " + endpoint + path + " answered HTTP " + response.statusCode());
            }
            return reply;
        }
        throw new EtcdException("no etcd endpoint answered " + path + ": " + String.join("; ", failures));
    }

    private JsonNode parse(URI endpoint, String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new EtcdException("etcd " + endpoint + " sent a reply that is not JSON", e);
        }
    }

    private static List<EtcdMember> parseMembers(JsonNode array) {
        List<EtcdMember> members = new ArrayList<>();
        array.forEach(m -> members.add(parseMember(m)));
        return members;
    }

    private static EtcdMember parseMember(JsonNode m) {
        return new EtcdMember(Long.parseUnsignedLong(m.path("ID").asText("0")), m.path("name").asText(""),
                strings(m.path("peerURLs")), strings(m.path("clientURLs")), m.path("isLearner").asBoolean(false));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
