package io.kubestead.agent.bundle;

import io.kubestead.agent.bundle.BundleManifest.FileEntry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Staging trees and hand-made (hostile) archives for the bundle tests. */
final class TestBundles {
    static final String CREATED = "2026-01-01T00:00:00Z";
    static final BundleWriter.Metadata METADATA = new BundleWriter.Metadata("1.33.4", "amd64", CREATED,
            List.of(new BundleManifest.ImageEntry("registry.k8s.io/pause:3.10", "images/pause.tar")));

    private TestBundles() {
    }

    /** A small staging tree in the bundle layout: nested directories, an executable, an empty file, 300 KB random. */
    static Path staging(Path dir) throws IOException {
        write(dir, "bin/kubeadm", "#!/bin/sh\necho kubeadm\n".getBytes(StandardCharsets.UTF_8), true);
        write(dir, "containerd/bin/ctr", "ctr".getBytes(StandardCharsets.UTF_8), true);
        write(dir, "images/pause.tar", random(300_000, 7), false);
        write(dir, "manifests/flannel.yaml", "kind: DaemonSet\n".repeat(1000).getBytes(StandardCharsets.UTF_8), false);
        write(dir, "systemd/empty.conf", new byte[0], false);
        return dir;
    }

    static void write(Path root, String path, byte[] bytes, boolean executable) throws IOException {
        Path f = root.resolve(path);
        Files.createDirectories(f.getParent());
        Files.write(f, bytes);
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    static KeyPair key() {
        return BundleSignature.generate(new SecureRandom());
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static BundleManifest manifest(Map<String, byte[]> files) throws Exception {
        List<FileEntry> entries = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : new TreeMap<>(files).entrySet()) {
            entries.add(new FileEntry(e.getKey(), e.getValue().length, sha256(e.getValue())));
        }
        return new BundleManifest(BundleManifest.FORMAT, "1.33.4", "amd64", CREATED, entries, List.of());
    }

    /** What a hand-made archive holds after manifest.json and manifest.sig. */
    interface Entries {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    /** A plain (uncompressed) tar: manifest.json, manifest.sig signed with {@code key}, then {@code entries}. */
    static Path archive(Path out, byte[] manifestJson, PrivateKey key, Entries entries) throws IOException {
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            file(tar, "manifest.json", manifestJson);
            file(tar, "manifest.sig", BundleSignature.sign(key, manifestJson));
            entries.write(tar);
            tar.finish();
        }
        return out;
    }

    static void file(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_NORMAL, true);
        e.setSize(bytes.length);
        e.setMode(0100644);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /** A file entry whose header claims {@code headerSize} bytes. */
    static void file(TarArchiveOutputStream tar, String name, byte[] bytes, long headerSize) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_NORMAL, true);
        e.setSize(headerSize);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    static void special(TarArchiveOutputStream tar, String name, byte type, String linkName) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        if (linkName != null) {
            e.setLinkName(linkName);
        }
        e.setDevMajor(1);
        e.setDevMinor(3);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    /** A PAX extended header ('x', or 'g' for a global one) holding {@code records} verbatim, before the next entry. */
    static void pax(TarArchiveOutputStream tar, byte type, byte[] records) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry("PaxHeaders/x", type, true);
        e.setSize(records.length);
        tar.putArchiveEntry(e);
        tar.write(records);
        tar.closeArchiveEntry();
    }

    /** One PAX record, "LEN key=value\n", LEN counting itself. */
    static byte[] paxRecord(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int len = body.length();
        while (len != body.length() + Integer.toString(len).length()) {
            len = body.length() + Integer.toString(len).length();
        }
        return (len + body).getBytes(StandardCharsets.UTF_8);
    }

    /** A GNU long-name entry ('L') naming the entry after it. */
    static void longName(TarArchiveOutputStream tar, byte[] name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry("././@LongLink", TarArchiveEntry.LF_GNUTYPE_LONGNAME, true);
        e.setSize(name.length);
        tar.putArchiveEntry(e);
        tar.write(name);
        tar.closeArchiveEntry();
    }

    /** Runs {@code cmd} in {@code dir}; its output, once it exited 0. */
    static String run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError(String.join(" ", cmd) + ": " + out);
        }
        return out;
    }

    /** The names directly in {@code dir}, sorted. */
    static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
