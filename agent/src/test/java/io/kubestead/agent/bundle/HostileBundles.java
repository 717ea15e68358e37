package io.kubestead.agent.bundle;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Hostile bundles, signed with a real key, for the tests outside this package (the CLI, the install path). */
public final class HostileBundles {
    private HostileBundles() {
    }

    /**
     * A zstd bundle of about 350 KB whose first header, before manifest.json, is a PAX header ('x') or GNU long
     * name ('L') of {@code size} bytes (a 1.5 GB one is what drove the old reader out of memory); then a real signed
     * manifest and its file. The header's data is the same 8 MiB frame again and again: zstd readers take
     * concatenated frames as one stream, so the file stays small whatever {@code size} is.
     */
    public static Path hugeHeader(Path out, byte type, long size, PrivateKey key) throws Exception {
        final int chunk = 8 << 20;
        byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
        byte[] json = TestBundles.manifest(Map.of("bin/a", hello)).toJson();
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            TarArchiveEntry header = new TarArchiveEntry(type == 'L' ? "././@LongLink" : "PaxHeaders/manifest.json", type, true);
            header.setSize(size);
            byte[] record = new byte[512];
            header.writeEntryHeader(record);
            // the data: for 'x' one record "LEN comment=aaa...\n" as long as the header says, for 'L' a name of a's
            byte[] first = new byte[chunk];
            java.util.Arrays.fill(first, (byte) 'a');
            if (type != 'L') {
                byte[] prefix = (size + " comment=").getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(prefix, 0, first, 0, prefix.length);
            }
            byte[] rest = new byte[chunk];
            java.util.Arrays.fill(rest, (byte) 'a');
            file.write(zstd(record));
            long left = size;
            byte[] firstFrame = zstd(java.util.Arrays.copyOf(first, (int) Math.min(chunk, left)));
            file.write(firstFrame);
            left -= Math.min(chunk, left);
            byte[] restFrame = zstd(rest);
            for (; left >= chunk; left -= chunk) {
                file.write(restFrame);
            }
            java.io.ByteArrayOutputStream tail = new java.io.ByteArrayOutputStream();
            tail.write(new byte[(int) left]);
            int pad = (int) ((512 - size % 512) % 512);
            tail.write(new byte[pad]);
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(tail)) {
                TestBundles.file(tar, "manifest.json", json);
                TestBundles.file(tar, "manifest.sig", BundleSignature.sign(key, json));
                TestBundles.file(tar, "bin/a", hello);
                tar.finish();
            }
            file.write(zstd(tail.toByteArray()));
        }
        return out;
    }

    static byte[] zstd(byte[] bytes) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (OutputStream z = Compression.ZSTD.compress(out)) {
            z.write(bytes);
        }
        return out.toByteArray();
    }

    /** An unsigned bundle whose manifest.json is 7 MiB of empty objects: 2.4 million maps, were it parsed whole. */
    public static Path manyValues(Path out) throws IOException {
        byte[] json = ("{\"files\":[" + "{},".repeat(7 << 18) + "{}]}").getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream plain = new java.io.ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(plain)) {
            TestBundles.file(tar, "manifest.json", json);
            tar.finish();
        }
        Files.write(out, zstd(plain.toByteArray()));
        return out;
    }

    /** A signed bundle whose manifest lists 'bin' and 'bin/kubeadm', both as files; the archive holds both. */
    public static Path fileAndDirectory(Path out, PrivateKey key) throws Exception {
        byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
        String sha = TestBundles.sha256(hello);
        byte[] json = ("{\"arch\":\"amd64\",\"created\":\"" + TestBundles.CREATED + "\",\"files\":["
                + "{\"path\":\"bin\",\"sha256\":\"" + sha + "\",\"size\":6},"
                + "{\"path\":\"bin/kubeadm\",\"sha256\":\"" + sha + "\",\"size\":6}],"
                + "\"format\":1,\"images\":[],\"kubernetesVersion\":\"1.33.4\"}").getBytes(StandardCharsets.UTF_8);
        return TestBundles.archive(out, json, key, tar -> {
            TestBundles.file(tar, "bin", hello);
            TestBundles.file(tar, "bin/kubeadm", hello);
        });
    }

    public static List<String> names(Path dir) throws IOException {
        return TestBundles.names(dir);
    }
}
