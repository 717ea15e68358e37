package io.kubestead.installer.airgap;

import io.kubestead.installer.bundle.Modes;
import io.kubestead.installer.serve.InstallScript;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The install.sh written beside an air-gap bundle: the one inside the agent bundle it carries, with the signing
 * key's public half pinned in, so on the site {@code sudo bash install.sh airgap ...} checks the bundle's
 * manifest.sig before it runs anything from it, with no key to copy separately.
 */
public final class PinnedScript {
    /** install.sh is about 30 KB; a larger member is not ours. */
    static final int MAX_BYTES = 1 << 20;

    private PinnedScript() {
    }

    /** Writes {@code outDir}/install.sh (mode 0755, atomically) from the staged agent bundle's, pinned to {@code key}. */
    public static Path write(StagedBundle staged, PublicKey key, Path outDir) throws IOException {
        Path agentBundle = StagingBuilder.agentFiles(staged.dir().resolve("agent"), staged.arch()).get(0);
        byte[] script = InstallScript.pinKey(scriptOf(agentBundle), key);
        Path target = outDir.resolve(InstallScript.NAME);
        Path tmp = Files.createTempFile(outDir, "." + InstallScript.NAME + ".", ".tmp");
        try {
            Files.write(tmp, script);
            Modes.set(tmp, 0755);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /** The install.sh member of an agent bundle (kubestead-agent-*.tar.gz). */
    static byte[] scriptOf(Path agentBundle) throws IOException {
        try (InputStream file = Files.newInputStream(agentBundle);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                if (name.equals(InstallScript.NAME) && e.isFile() && e.getSize() <= MAX_BYTES) {
                    return tar.readNBytes((int) e.getSize());
                }
            }
        }
        throw new IOException(agentBundle.getFileName() + " has no install.sh to write beside the air-gap bundle");
    }
}
