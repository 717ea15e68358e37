package io.kubestead.installer.cli;

import io.kubestead.installer.bundle.Sha256Sums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code installer sign-sums DIR --key FILE}: DIR/SHA256SUMS.sig, which install.sh checks when it has a key. */
@Command(name = "sign-sums", mixinStandardHelpOptions = true,
        description = {"Sign DIR/SHA256SUMS with KEY into DIR/SHA256SUMS.sig (Ed25519 over the file's bytes, written",
            "atomically). An install.sh with a bundle key (bundle-public-key=FILE, or pinned by 'serve",
            "--bundle-public-key') refuses an agent bundle whose SHA256SUMS is not signed so. Sign where the key is",
            "kept, after the build, then copy DIR to the server."})
final class SignSumsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Directory holding SHA256SUMS (e.g. installer/target/dist).")
    Path dir;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "bundle-signing.key from 'installer keygen'")
    Path key;

    @Override
    public Integer call() throws IOException {
        Path sums = dir.resolve(Sha256Sums.NAME);
        if (!Files.isRegularFile(sums)) {
            throw new IllegalArgumentException("DIR " + dir + " has no " + Sha256Sums.NAME + " to sign");
        }
        Path sig = Sha256Sums.sign(sums, KeyFiles.privateKey(key));
        spec.commandLine().getOut().printf("[INFO] signed %s with %s: %s%n", sums, key, sig);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
