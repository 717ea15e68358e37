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

    /** Grants a lease of {@code ttl}; returns its id. */
    public long grantLease(Duration ttl) {
        ObjectNode body = json.createObjectNode();
        body.put("TTL", Long.toString(Math.max(1, ttl.toSeconds())));
        return Long.parseUnsignedLong(call("/v3/lease/grant", body).path("ID").asText("0"));
    }

    /** Refreshes a lease once; false when etcd no longer knows it (expired or revoked). */
    public boolean keepAlive(long lease) {
        JsonNode reply = call("/v3/lease/keepalive", idBody(lease));
        return reply.path("result").path("TTL").asLong(0) > 0;
    }

    /** Revokes a lease, deleting the keys attached to it. */
    public void revoke(long lease) {
        call("/v3/lease/revoke", idBody(lease));
    }

    /**
     * Creates {@code key} with {@code value} attached to {@code lease} only if the key does not exist; otherwise
     * returns the current value (the holder), with the key's lease id.
     */
    public java.util.Optional<String> createIfAbsent(String key, String value, long lease) {
        var b64 = java.util.Base64.getEncoder();
        String k = b64.encodeToString(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ObjectNode body = json.createObjectNode();
        ObjectNode cmp = body.putArray("compare").addObject();
        cmp.put("target", "CREATE");
        cmp.put("result", "EQUAL");
        cmp.put("key", k);
        cmp.put("create_revision", "0");
        ObjectNode put = body.putArray("success").addObject().putObject("request_put");
        put.put("key", k);
        put.put("value", b64.encodeToString(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        put.put("lease", Long.toUnsignedString(lease));
        body.putArray("failure").addObject().putObject("request_range").put("key", k);
        JsonNode reply = call("/v3/kv/txn", body);
        if (reply.path("succeeded").asBoolean(false)) {
            return java.util.Optional.empty();
        }
        JsonNode kvs = reply.path("responses").path(0).path("response_range").path("kvs");
        return java.util.Optional.of(kvs.isEmpty() ? "(gone)" : new String(java.util.Base64.getDecoder()
                .decode(kvs.get(0).path("value").asText("")), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** How much a snapshot stream line may hold: a 32 KiB chunk in base64 with its envelope is far below this. */
    private static final int SNAPSHOT_LINE_LIMIT = 4 << 20;

    /** What {@link #snapshot} wrote: the database bytes and etcd's sha256 of them (the stream's last chunk). */
    public record SnapshotStream(long databaseBytes, byte[] sha256, boolean verified) {
    }

    /**
     * Streams a snapshot of this member's database (the Maintenance.Snapshot API, as etcdctl snapshot save) to
     * {@code out}: the database followed by the 32-byte sha256 etcd sends last, the layout etcdutl restore checks.
     * The hash is recomputed here; {@code verified} says whether it matches.
     */
    public SnapshotStream snapshot(java.io.OutputStream out, Duration total) {
        URI endpoint = endpoints.get(0);
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/v3/maintenance/snapshot")).timeout(total)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try {
            HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                String body = new String(response.body().readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8);
                throw new EtcdException("etcd " + endpoint + " refused the snapshot: HTTP " + response.statusCode() + " " + body);
            }
            long bytes = 0;
            byte[] pending = null; // the chunk before the current one: the last chunk is the hash, not data
            try (java.io.InputStream in = response.body()) {
                String line;
                while ((line = readLine(in)) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode msg = json.readTree(line);
                    if (msg.has("error")) {
                        throw new EtcdException("etcd " + endpoint + " broke off the snapshot: "
                                + msg.path("error").path("message").asText(msg.path("error").toString()));
                    }
                    byte[] blob = java.util.Base64.getDecoder().decode(msg.path("result").path("blob").asText(""));
                    if (pending != null) {
                        sha.update(pending);
                        out.write(pending);
                        bytes += pending.length;
                    }
                    pending = blob;
                }
            }
            if (pending == null || pending.length != 32) {
                throw new EtcdException("etcd " + endpoint + " ended the snapshot without its sha256 (" + bytes
                        + " bytes received): the stream was cut");
            }
            out.write(pending);
            out.flush();
            return new SnapshotStream(bytes, pending, java.security.MessageDigest.isEqual(sha.digest(), pending));
        } catch (IOException e) {
            throw new EtcdException("snapshot from etcd " + endpoint + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdException("interrupted while taking a snapshot from " + endpoint, e);
        }
    }

    /** One line of a streamed reply, bounded; null at the end. */
    private static String readLine(java.io.InputStream in) throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (line.size() >= SNAPSHOT_LINE_LIMIT) {
                throw new IOException("a snapshot stream line is longer than " + SNAPSHOT_LINE_LIMIT + " bytes");
            }
            line.write(b);
        }
        return b == -1 && line.size() == 0 ? null : line.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The keys under {@code prefix} and the revision the answer was read at ({@code revision} 0: the latest). */
    public record KeyCount(long count, long revision) {
    }

    public KeyCount count(String prefix, long revision) {
        ObjectNode body = json.createObjectNode();
        // the empty prefix is every key: from "\0" to the range end "\0" (etcd's "to the end")
        byte[] key = prefix.isEmpty() ? new byte[] {0} : prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        body.put("key", java.util.Base64.getEncoder().encodeToString(key));
        body.put("range_end", java.util.Base64.getEncoder().encodeToString(prefix.isEmpty() ? new byte[] {0} : prefixEnd(key)));
        body.put("count_only", true);
        if (revision > 0) {
            body.put("revision", Long.toString(revision));
        }
        JsonNode reply = call("/v3/kv/range", body);
        return new KeyCount(reply.path("count").asLong(0), reply.path("header").path("revision").asLong(0));
    }

    /** The value of one key, if it exists. */
    public java.util.Optional<String> get(String key) {
        ObjectNode body = json.createObjectNode();
        body.put("key", java.util.Base64.getEncoder().encodeToString(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        JsonNode kvs = call("/v3/kv/range", body).path("kvs");
        if (kvs.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new String(java.util.Base64.getDecoder().decode(kvs.get(0).path("value").asText("")),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    public void put(String key, String value) {
        ObjectNode body = json.createObjectNode();
        body.put("key", java.util.Base64.getEncoder().encodeToString(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        body.put("value", java.util.Base64.getEncoder().encodeToString(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        call("/v3/kv/put", body);
    }

    /** etcd's range end for a prefix: the prefix with its last byte below 0xff incremented. */
    static byte[] prefixEnd(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return java.util.Arrays.copyOf(end, i + 1);
            }
        }
        return new byte[] {0};
    }

    /** The cluster's endpoints this client calls, in order. */
    public List<URI> endpoints() {
        return endpoints;
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
