package io.kubestead.installer.cli;

import io.kubestead.agent.bundle.BundleManifest;
import io.kubestead.agent.bundle.BundleProgress;
import io.kubestead.agent.bundle.BundleResigner;
import io.kubestead.installer.bundle.Sha256Sums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code installer sign BUNDLE --key FILE [--out FILE]}: sign an existing bundle with (another) key. */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = {"Sign an existing air-gap bundle with KEY: every file is checked against the manifest, then the",
            "bundle is written again (same compression, same bytes apart from manifest.sig) to --out, by default",
            "replacing BUNDLE. Needs free space for the unpacked bundle beside the output."})
final class SignCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "kubestead-airgap-*.tar.zst or .tar.gz")
    Path bundle;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "bundle-signing.key from 'installer keygen'")
    Path key;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the signed bundle (default: BUNDLE itself).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(bundle)) {
            throw new IllegalArgumentException("BUNDLE " + bundle + " does not exist or is not a file");
        }
        Path dest = out != null ? out : bundle;
        var privateKey = KeyFiles.privateKey(key);
        BundleManifest m = new BundleResigner(BundleProgress.NONE).resign(bundle, privateKey, dest);
        String sum = Sha256Sums.update(dest);
        Sha256Sums.sign(dest.toAbsolutePath().resolveSibling(Sha256Sums.NAME), privateKey);
        spec.commandLine().getOut().printf("[INFO] signed %s (%d files) with %s (sha256 %s, in %s)%n", dest,
                m.files().size(), key, sum, dest.toAbsolutePath().resolveSibling("SHA256SUMS"));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
