package io.kubestead.agent.airgap;

import io.kubestead.agent.spec.HostPort;
import io.kubestead.agent.bundle.BundleSpace;
import io.kubestead.agent.progress.Meter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Fetches a master's air-gap bundle onto a joining node: the manifest, then every file it lists, over HTTPS from
 * the first master that answers, trusting only the cluster CA that the join command's ca-hash pins and presenting
 * the join token. Each file is hashed while it streams to disk and must match the manifest's size and SHA-256.
 * Everything lands in a staging directory renamed into place at the end, so a failure leaves nothing behind.
 */
public final class BundleFetch {
    private final List<String> masters;
    private final int port;
    private final String token;
    private final String caHash;
    private final Duration timeout;

    public BundleFetch(List<String> masters, int port, String token, String caHash, Duration timeout) {
        if (masters.isEmpty()) {
            throw new IllegalArgumentException("no master address to fetch the air-gap bundle from");
        }
        this.masters = List.copyOf(masters);
        this.port = port;
        this.token = token;
        this.caHash = caHash;
        this.timeout = timeout;
    }

    /** Fetches into {@code target} (a local directory that must not hold a bundle yet). */
    public ExtractedBundle fetch(Path target, Consumer<String> progress) {
        return fetch(target, progress, Meter.NONE);
    }

    /** As {@link #fetch(Path, Consumer)}, with {@code bytes} counting the bundle's bytes fetched (noting each file). */
    public ExtractedBundle fetch(Path target, Consumer<String> progress, Meter bytes) {
        HttpClient client = HttpClient.newBuilder().sslContext(PinnedCaTrust.context(caHash))
                .connectTimeout(timeout).build();
        List<String> failures = new ArrayList<>();
        for (String master : masters) {
            String base = "https://" + new HostPort(master, port);
            byte[] manifest;
            try {
                manifest = small(client, base + "/" + ExtractedBundle.MANIFEST);
            } catch (IOException e) {
                failures.add(base + ": " + describe(e));
                continue;
            }
            progress.accept("fetching the air-gap bundle from " + base);
            try {
                return fetchAll(client, base, manifest, target, progress, bytes);
            } finally {
                bytes.finish();
            }
        }
        throw new BundleFetchException("no master served the air-gap bundle (" + String.join("; ", failures)
                + "); check that kubestead-bundle-server runs on a master, or put the air-gap bundle beside install.sh");
    }

    private ExtractedBundle fetchAll(HttpClient client, String base, byte[] manifest, Path target, Consumer<String> progress,
                                     Meter bytes) {
        ExtractedBundle bundle = ExtractedBundle.parse(target.toString(), manifest);
        Path staging = target.resolveSibling("." + target.getFileName() + ".fetching");
        try {
            deleteTree(staging);
            Files.createDirectories(staging);
            long total = bundle.files().stream().mapToLong(ExtractedBundle.BundleFile::size).sum();
            Optional<String> shortfall = BundleSpace.shortfall(staging, target, total + manifest.length);
            if (shortfall.isPresent()) {
                throw new BundleFetchException(shortfall.get());
            }
            Files.write(staging.resolve(ExtractedBundle.MANIFEST), manifest);
            long[] done = {0};
            for (var f : bundle.files()) {
                bytes.update(done[0], total, f.path());
                download(client, base + BundleServer.FILES + f.path(), f, staging.resolve(f.path()),
                        k -> bytes.update(done[0] += k, total, f.path()));
            }
            bytes.update(total, total, "");
            deleteTree(target);
            Files.createDirectories(target.getParent());
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return bundle;
        } catch (IOException e) {
            throw new BundleFetchException("fetching the air-gap bundle from " + base + " failed: " + describe(e), e);
        } finally {
            try {
                deleteTree(staging);
            } catch (IOException e) {
                progress.accept("could not remove " + staging + ": " + e.getMessage());
            }
        }
    }

    private byte[] small(HttpClient client, String url) throws IOException {
        HttpResponse<byte[]> r = send(client, url, HttpResponse.BodyHandlers.ofByteArray());
        check(url, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        return r.body();
    }

    private void download(HttpClient client, String url, ExtractedBundle.BundleFile f, Path to,
                          java.util.function.LongConsumer advance) throws IOException {
        HttpResponse<InputStream> r = send(client, url, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                check(url, r.statusCode(), new String(in.readNBytes(512), StandardCharsets.UTF_8));
            }
            Files.createDirectories(to.getParent());
            MessageDigest sha = sha256();
            long total = 0;
            byte[] buf = new byte[1 << 16];
            try (OutputStream out = Files.newOutputStream(to)) {
                for (int k; (k = in.read(buf)) > 0; ) {
                    total += k;
                    if (total > f.size()) {
                        throw new BundleFetchException(f.path() + " from " + url + " is larger than the manifest's "
                                + f.size() + " bytes; refused");
                    }
                    sha.update(buf, 0, k);
                    out.write(buf, 0, k);
                    advance.accept(k);
                }
            }
            String got = HexFormat.of().formatHex(sha.digest());
            if (total != f.size() || !got.equals(f.sha256())) {
                throw new BundleFetchException(f.path() + " from " + url + " does not match the manifest (SHA-256 "
                        + got + ", " + total + " bytes; expected " + f.sha256() + ", " + f.size() + " bytes); refused");
            }
        }
    }

    private <T> HttpResponse<T> send(HttpClient client, String url, HttpResponse.BodyHandler<T> handler) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Authorization", "Bearer " + token).GET().build();
        try {
            return client.send(req, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void check(String url, int status, String body) {
        if (status == 401) {
            throw new BundleFetchException("the master refused the join token for the air-gap bundle (HTTP 401 from "
                    + url + "): the token is wrong or expired; get a new join command with 'kubestead join-script' on a master");
        }
        if (status != 200) {
            throw new BundleFetchException("GET " + url + " answered HTTP " + status + ": " + body.strip());
        }
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return t == e ? m : e.getClass().getSimpleName() + ": " + m;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
