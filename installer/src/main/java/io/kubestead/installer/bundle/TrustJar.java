package io.kubestead.installer.bundle;

import io.kubestead.agent.bundle.BundleException;
import io.kubestead.agent.bundle.BundleSignature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * lib/kubestead-trust.jar of the agent bundle: a jar holding only the resource
 * {@link BundleSignature#TRUSTED_KEY_RESOURCE}, which the agent reads as its built-in trusted bundle key (the
 * launcher puts every lib/*.jar on the classpath). A separate jar leaves the agent jar as Maven built it, and its
 * bytes depend only on the key and the build time, so the bundle stays reproducible.
 */
public final class TrustJar {
    /** The jar's path in the agent bundle. */
    public static final String ENTRY = "lib/kubestead-trust.jar";
    /** Where the build takes the key from when no option names it. */
    public static final String ENV = "KUBESTEAD_BUNDLE_PUBLIC_KEY";

    private TrustJar() {
    }

    /**
     * Reads and checks a trusted-key file (an Ed25519 public key, SubjectPublicKeyInfo PEM) and returns it as the
     * canonical PEM the jar holds; {@code source} names where the path came from in the one-line error.
     */
    public static byte[] canonicalKey(Path file, String source) {
        byte[] pem;
        try {
            pem = io.kubestead.agent.spec.InputFile.read(file, io.kubestead.agent.spec.InputFile.PEM_LIMIT);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + "=" + file + ": cannot read the trusted bundle key ("
                    + e.getMessage() + "); give the bundle-signing.pub that 'installer keygen' wrote");
        }
        try {
            return BundleSignature.publicKeyPem(BundleSignature.readPublicKey(pem, file.toString()));
        } catch (BundleException e) {
            throw new IllegalArgumentException(source + "=" + file + " is not a trusted bundle key: " + e.getMessage()
                    + "; give the bundle-signing.pub that 'installer keygen' wrote");
        }
    }

    /** The jar: one stored entry with a fixed time, so the same key and time give the same bytes. */
    public static byte[] bytes(byte[] canonicalKeyPem, Instant mtime) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry e = new ZipEntry(BundleSignature.TRUSTED_KEY_RESOURCE);
            // local time set directly: ZipEntry.setTime would convert through the build machine's time zone
            e.setTimeLocal(LocalDateTime.ofInstant(mtime, ZoneOffset.UTC));
            e.setMethod(ZipEntry.STORED);
            e.setSize(canonicalKeyPem.length);
            e.setCompressedSize(canonicalKeyPem.length);
            CRC32 crc = new CRC32();
            crc.update(canonicalKeyPem);
            e.setCrc(crc.getValue());
            zip.putNextEntry(e);
            zip.write(canonicalKeyPem);
            zip.closeEntry();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /**
     * The trusted key (canonical PEM) an agent bundle (kubestead-agent-*.tar.gz) carries in any of its lib/*.jar,
     * empty when it has none: such an agent installs air-gap bundles only with the word bundle-public-key.
     */
    public static Optional<byte[]> trustedKeyOf(Path agentBundle) throws IOException {
        try (InputStream file = Files.newInputStream(agentBundle);
             GzipCompressorInputStream gz = new GzipCompressorInputStream(file);
             TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                if (e.isFile() && name.startsWith("lib/") && name.endsWith(".jar")) {
                    Optional<byte[]> key = resource(tar.readAllBytes());
                    if (key.isPresent()) {
                        return key;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Whether {@code pem} is the same key as {@code other} (PEM text may differ in line breaks). */
    public static boolean sameKey(byte[] pem, byte[] other) {
        try {
            return Arrays.equals(BundleSignature.publicKeyPem(BundleSignature.readPublicKey(pem, "built-in key")),
                    BundleSignature.publicKeyPem(BundleSignature.readPublicKey(other, "signing key")));
        } catch (BundleException e) {
            return false;
        }
    }

    private static Optional<byte[]> resource(byte[] jar) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals(BundleSignature.TRUSTED_KEY_RESOURCE)) {
                    return Optional.of(zip.readAllBytes());
                }
            }
        }
        return Optional.empty();
    }
}
