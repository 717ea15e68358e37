package io.kubestead.installer.airgap;

import io.kubestead.installer.bundle.Modes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Takes the listed regular-file members out of a release tar.gz (containerd, CNI plugins, crictl) into the staging
 * directory, each at its bundle path with its mode; a listed member missing from the tarball is an error.
 */
final class TarGzMembers {
    private TarGzMembers() {
    }

    static void extract(Path tarGz, List<AirgapManifest.Member> members, Path staging, String what) throws IOException {
        Map<String, AirgapManifest.Member> wanted = new HashMap<>();
        for (AirgapManifest.Member m : members) {
            wanted.put(normalise(m.member()), m);
        }
        try (InputStream file = Files.newInputStream(tarGz);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file, true))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                AirgapManifest.Member m = wanted.get(normalise(e.getName()));
                if (m == null) {
                    continue;
                }
                if (!e.isFile()) {
                    throw new IOException(what + ": member " + m.member() + " is not a regular file in the tarball");
                }
                wanted.remove(normalise(e.getName()));
                Path target = StagingPaths.resolve(staging, m.path());
                Files.createDirectories(target.getParent());
                Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + "-", ".part");
                try {
                    try (OutputStream out = Files.newOutputStream(tmp)) {
                        tar.transferTo(out);
                    }
                    Modes.set(tmp, m.modeBits());
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        }
        if (!wanted.isEmpty()) {
            throw new IOException(what + ": the tarball has no member " + wanted.values().stream()
                    .map(AirgapManifest.Member::member).sorted().toList() + " (check extract: in the manifest)");
        }
    }

    private static String normalise(String name) {
        String n = name.startsWith("./") ? name.substring(2) : name;
        return n;
    }
}
