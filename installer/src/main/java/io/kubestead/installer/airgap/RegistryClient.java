package io.kubestead.installer.airgap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal registry (distribution v2) reader: anonymous bearer tokens, manifest lists resolved to linux/ARCH, every
 * manifest and blob checked against its sha256 digest as it arrives. Blobs stream to disk, never whole in memory.
 */
final class RegistryClient {
    static final String ACCEPT = String.join(",",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Set<String> plainHttpRegistries;
    private final Map<String, String> tokens = new HashMap<>();

    /** plainHttpRegistries: host[:port] reached over http instead of https (a local test or mirror registry). */
    RegistryClient(HttpClient http, Set<String> plainHttpRegistries) {
        this.http = http;
        this.plainHttpRegistries = Set.copyOf(plainHttpRegistries);
    }

    /** A manifest's bytes, media type and verified digest. */
    record Manifest(byte[] bytes, String mediaType, String digest) {
        JsonNode json() throws IOException {
            return JSON.readTree(bytes);
        }
    }

    /** Fetches the manifest for ref; if it is a list, the linux/arch entry's manifest. */
    Manifest platformManifest(ImageReference ref, String arch) throws IOException {
        Manifest top = manifest(ref, ref.manifestReference(), ref.digest());
        JsonNode node = top.json();
        if (!node.has("manifests")) {
            return top;
        }
        for (JsonNode m : node.get("manifests")) {
            JsonNode p = m.path("platform");
            if ("linux".equals(p.path("os").asText()) && arch.equals(p.path("architecture").asText())) {
                String digest = m.get("digest").asText();
                return manifest(ref, digest, digest);
            }
        }
        throw new RegistryException(ref.full() + " has no linux/" + arch + " image in its manifest list", true);
    }

    private Manifest manifest(ImageReference ref, String reference, String expectedDigest) throws IOException {
        HttpResponse<InputStream> r = get(ref, "/manifests/" + reference, ACCEPT);
        byte[] bytes;
        try (InputStream in = r.body()) {
            bytes = in.readNBytes(4 << 20);
        }
        String digest = "sha256:" + HexFormat.of().formatHex(Downloader.sha256().digest(bytes));
        if (expectedDigest != null && !expectedDigest.equals(digest)) {
            throw new RegistryException("manifest digest mismatch for " + ref.full() + ": expected " + expectedDigest + ", got " + digest, true);
        }
        // The manifest's own mediaType field is authoritative; some registries send a generic content type.
        String type = JSON.readTree(bytes).path("mediaType").asText("");
        if (type.isEmpty()) {
            type = r.headers().firstValue("content-type").map(t -> t.split(";")[0].trim()).orElse("");
        }
        return new Manifest(bytes, type, digest);
    }

    /**
     * Streams a blob into out (the image tar's entry), checking its size and sha256 digest; on a mismatch it throws
     * and the caller drops everything written.
     */
    void blob(ImageReference ref, String digest, long size, OutputStream out, ProgressListener progress) throws IOException {
        if (!digest.startsWith("sha256:")) {
            throw new RegistryException(ref.full() + ": unsupported digest " + digest + " (only sha256)", true);
        }
        HttpResponse<InputStream> r = get(ref, "/blobs/" + digest, "*/*");
        long[] count = {0};
        String actual;
        try (InputStream in = r.body()) {
            actual = "sha256:" + Downloader.copyHashing(new BoundedInput(in, size, ref.full() + " blob " + digest), out,
                    new ProgressListener() {
                        @Override
                        public void start(String what, long total) {
                        }

                        @Override
                        public void advance(long bytes) {
                            count[0] += bytes;
                            progress.advance(bytes);
                        }

                        @Override
                        public void done() {
                        }
                    });
        }
        if (count[0] != size) {
            throw new IOException("blob size mismatch for " + ref.full() + ": " + digest + " should be " + size + " bytes, got " + count[0]);
        }
        if (!actual.equals(digest)) {
            throw new IOException("blob digest mismatch for " + ref.full() + ": expected " + digest + ", got " + actual);
        }
    }

    /** Refuses to read past the size the manifest gave, so a wrong blob cannot overrun its tar entry. */
    private static final class BoundedInput extends java.io.FilterInputStream {
        private final String what;
        private long left;

        BoundedInput(InputStream in, long size, String what) {
            super(in);
            this.left = size;
            this.what = what;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, (int) Math.min(len, Math.max(left, 1)));
            if (n > 0) {
                left -= n;
                if (left < 0) {
                    throw new IOException("blob size mismatch for " + what + ": larger than its manifest says");
                }
            }
            return n;
        }
    }

    /**
     * GETs a registry path. Registries redirect (registry.k8s.io to a regional mirror, blobs to a CDN), and each
     * host may ask for its own anonymous token: a token is only ever sent to the host that asked for it.
     */
    private HttpResponse<InputStream> get(ImageReference ref, String path, String accept) throws IOException {
        URI uri = URI.create(scheme(ref) + "://" + ref.apiHost() + "/v2/" + ref.repository() + path);
        for (int hops = 0; hops < 6; hops++) {
            String key = uri.getAuthority() + " " + ref.repository();
            HttpResponse<InputStream> r = send(uri, accept, tokens.get(key));
            if (r.statusCode() == 401) {
                String challenge = r.headers().firstValue("www-authenticate").orElse("");
                r.body().close();
                String token = token(ref, challenge);
                tokens.put(key, token);
                r = send(uri, accept, token);
            }
            if (r.statusCode() / 100 == 3 && r.headers().firstValue("location").isPresent()) {
                r.body().close();
                uri = uri.resolve(r.headers().firstValue("location").get());
                continue;
            }
            if (r.statusCode() != 200) {
                r.body().close();
                throw RegistryException.status(ref.full() + ": GET " + uri + " answered HTTP " + r.statusCode(), r.statusCode());
            }
            return r;
        }
        throw new IOException(ref.full() + ": too many redirects fetching " + path);
    }

    private String token(ImageReference ref, String challenge) throws IOException {
        if (!challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new RegistryException(ref.full() + ": registry " + ref.apiHost() + " wants credentials (" + challenge
                    + "); only anonymous pulls are supported", true);
        }
        Map<String, String> params = new HashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1), m.group(2));
        }
        String realm = params.get("realm");
        if (realm == null) {
            throw new RegistryException(ref.full() + ": bearer challenge without realm: " + challenge, true);
        }
        // A mirror names its own repository in the challenge's scope; otherwise ask for pull on ours.
        String query = "scope=" + enc(params.getOrDefault("scope", "repository:" + ref.repository() + ":pull"))
                + (params.containsKey("service") ? "&service=" + enc(params.get("service")) : "");
        URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
        HttpResponse<InputStream> r = send(uri, "application/json", null);
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw RegistryException.status(ref.full() + ": token request to " + realm + " answered HTTP " + r.statusCode(), r.statusCode());
            }
            JsonNode json = JSON.readTree(in.readNBytes(1 << 20));
            String t = json.hasNonNull("token") ? json.get("token").asText() : json.path("access_token").asText(null);
            if (t == null) {
                throw new IOException(ref.full() + ": token response from " + realm + " has no token");
            }
            return t;
        }
    }

    private HttpResponse<InputStream> send(URI uri, String accept, String token) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30)).header("Accept", accept).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted fetching " + uri, e);
        }
    }

    /** A registry failure that says whether a retry could help (a 4xx answer or a missing platform cannot). */
    static final class RegistryException extends IOException {
        final boolean permanent;

        RegistryException(String message, boolean permanent) {
            super(message);
            this.permanent = permanent;
        }

        static RegistryException status(String message, int status) {
            return new RegistryException(message, status / 100 == 4 && status != 408 && status != 429);
        }
    }

    private String scheme(ImageReference ref) {
        return plainHttpRegistries.contains(ref.apiHost()) ? "http" : "https";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
