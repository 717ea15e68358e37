package io.kubestead.installer.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/** SHA-256 sums in sha256sum's text format: "HEX  NAME" per line. */
public final class Sha256Sums {

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

    private static void replace(Path sumsFile, String text) throws IOException {
        Path tmp = sumsFile.resolveSibling(sumsFile.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, sumsFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
