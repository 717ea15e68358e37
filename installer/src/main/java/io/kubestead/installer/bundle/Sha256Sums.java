package io.kubestead.installer.bundle;

import io.kubestead.agent.bundle.BundleSignature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * SHA-256 sums in sha256sum's text format: "HEX  NAME" per line; and SHA256SUMS.sig beside them, an Ed25519
 * signature (64 raw bytes, as manifest.sig) over the file's exact bytes, which install.sh checks with its key.
 */
public final class Sha256Sums {
    public static final String NAME = "SHA256SUMS";
    public static final String SIGNATURE = "SHA256SUMS.sig";
    /** A SHA256SUMS this large is not one we wrote (one line per bundle). */
    public static final int MAX_BYTES = 1 << 20;

    private Sha256Sums() {
    }

    public static String of(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Adds or replaces {@code file}'s line in the SHA256SUMS beside it, keeping the other files' lines (a directory
     * may hold the zstd and the gzip bundle), sorted by name. Returns the file's sum.
     */
    public static String update(Path file) throws IOException {
        Path sumsFile = file.toAbsolutePath().resolveSibling("SHA256SUMS");
        String name = file.getFileName().toString();
        String sum = of(file);
        TreeMap<String, String> lines = new TreeMap<>();
        if (Files.isRegularFile(sumsFile)) {
            for (String line : Files.readAllLines(sumsFile, StandardCharsets.UTF_8)) {
                int gap = line.indexOf("  ");
                if (gap > 0) {
                    lines.put(line.substring(gap + 2), line + "\n");
                }
            }
        }
        lines.put(name, line(sum, file));
        replace(sumsFile, String.join("", lines.values()));
        return sum;
    }

    /** Writes one line per file (file names only, so the list works from its own directory). */
    public static void write(Path sumsFile, List<Path> files) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Path f : files) {
            sb.append(line(of(f), f));
        }
        replace(sumsFile, sb.toString());
    }

    /** sha256sum's line: the sum, two spaces, the file name only (so the list works from its own directory). */
    private static String line(String sum, Path file) {
        return sum + "  " + file.getFileName() + "\n";
    }

    /** Replaces the file; a signature of the old contents goes first, since it no longer matches. */
    private static void replace(Path sumsFile, String text) throws IOException {
        Files.deleteIfExists(sumsFile.resolveSibling(SIGNATURE));
        atomicWrite(sumsFile, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes SHA256SUMS.sig beside {@code sumsFile}: Ed25519 with {@code key} over its bytes, atomically. Returns
     * the signature's path.
     */
    public static Path sign(Path sumsFile, PrivateKey key) throws IOException {
        if (!Files.isRegularFile(sumsFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(sumsFile + " does not exist or is not a regular file");
        }
        if (Files.size(sumsFile) > MAX_BYTES) {
            throw new IllegalArgumentException(sumsFile + " is larger than " + MAX_BYTES + " bytes: not a SHA256SUMS");
        }
        Path sig = sumsFile.resolveSibling(SIGNATURE);
        atomicWrite(sig, BundleSignature.sign(key, Files.readAllBytes(sumsFile)));
        return sig;
    }

    /** Whether SHA256SUMS.sig beside {@code sumsFile} is {@code key}'s signature of it. */
    public static boolean signedBy(Path sumsFile, PublicKey key) throws IOException {
        Path sig = sumsFile.resolveSibling(SIGNATURE);
        return Files.isRegularFile(sig) && Files.size(sig) == BundleSignature.SIGNATURE_BYTES
                && Files.size(sumsFile) <= MAX_BYTES
                && BundleSignature.verify(key, Files.readAllBytes(sumsFile), Files.readAllBytes(sig));
    }

    private static void atomicWrite(Path file, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName() + ".", ".tmp");
        try {
            Files.write(tmp, bytes);
            Modes.set(tmp, 0644);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
