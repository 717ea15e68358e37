package io.kubestead.installer.cli;

import io.kubestead.agent.bundle.BundleSignature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code installer keygen --out DIR}: a new Ed25519 bundle-signing key pair; an existing key is never replaced. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Write a new Ed25519 bundle-signing key: DIR/bundle-signing.key (PKCS#8 PEM, mode 0600, keep it",
            "secret) and DIR/bundle-signing.pub (give it to agents with bundle-public-key=FILE, or build it in)."})
final class KeygenCommand implements Callable<Integer> {
    static final String KEY = "bundle-signing.key";
    static final String PUB = "bundle-signing.pub";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the two files (created if missing).")
    Path out;

    @Override
    public Integer call() throws IOException {
        Path key = out.resolve(KEY);
        Path pub = out.resolve(PUB);
        if (Files.exists(key) || Files.exists(pub)) {
            throw new IllegalArgumentException(key + " or " + pub + " already exists; keys are never replaced (move them away first)");
        }
        Files.createDirectories(out);
        KeyPair k = BundleSignature.generate(new SecureRandom());
        write(key, BundleSignature.privateKeyPem(k.getPrivate()), "rw-------");
        write(pub, BundleSignature.publicKeyPem(k.getPublic()), "rw-r--r--");
        spec.commandLine().getOut().printf("[INFO] wrote %s (secret, mode 0600) and %s%n", key, pub);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** Atomic, and the temp file has its final mode before the secret is written into it. */
    private static void write(Path file, byte[] bytes, String mode) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
