package io.kubestead.installer.airgap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Downloads a file while computing its SHA-256, into a temp file beside the target, renamed into place only when the
 * sum matches: a mismatch leaves nothing behind. Transient failures (connection errors, 5xx, 429) are retried.
 */
public final class Downloader {
    private final HttpClient http;
    private final int attempts;
    private final Duration backoff;

    public Downloader(HttpClient http, int attempts, Duration backoff) {
        this.http = http;
        this.attempts = attempts;
        this.backoff = backoff;
    }

    public static Downloader standard() {
        return new Downloader(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20)).build(), 4, Duration.ofSeconds(2));
    }

    /** Downloads url to target if its SHA-256 is expectedSha256 (lower-case hex); otherwise throws, target untouched. */
    public void download(URI url, String expectedSha256, Path target, ProgressListener progress) throws IOException {
        IOException last = null;
        for (int i = 1; i <= attempts; i++) {
            try {
                once(url, expectedSha256, target, progress);
                return;
            } catch (TransientException e) {
                last = new IOException(e.getMessage(), e.getCause());
            }
            if (i < attempts) {
                sleep(backoff.multipliedBy(i));
            }
        }
        throw new IOException("download of " + url + " failed after " + attempts + " attempts: " + last.getMessage(), last);
    }

    private void once(URI url, String expected, Path target, ProgressListener progress) throws IOException {
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new TransientException(url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted downloading " + url, e);
        }
        int status = response.statusCode();
        if (status != 200) {
            response.body().close();
            String msg = url + ": HTTP " + status;
            if (status >= 500 || status == 429 || status == 408) {
                throw new TransientException(msg, null);
            }
            throw new IOException(msg);
        }
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + "-", ".part");
        try {
            String actual;
            try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(tmp)) {
                progress.start(url.toString(), response.headers().firstValueAsLong("content-length").orElse(-1));
                actual = copyHashing(in, out, progress);
            } catch (IOException e) {
                throw new TransientException(url + ": transfer cut short: " + e, e);
            }
            progress.done();
            if (!actual.equals(expected)) {
                throw new IOException("checksum mismatch for " + url + ": expected sha256 " + expected + ", got " + actual
                        + " (the file was not kept; check the manifest's sha256 against the published one)");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Copies in to out, reporting progress, and returns the SHA-256 of what went through. */
    static String copyHashing(InputStream in, OutputStream out, ProgressListener progress) throws IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) >= 0) {
            sha.update(buf, 0, n);
            out.write(buf, 0, n);
            progress.advance(n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static final class TransientException extends IOException {
        TransientException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
