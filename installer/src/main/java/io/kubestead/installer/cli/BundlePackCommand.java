package io.kubestead.installer.cli;

import io.kubestead.agent.bundle.BundleManifest;
import io.kubestead.agent.bundle.BundleWriter;
import io.kubestead.agent.bundle.Compression;
import io.kubestead.installer.airgap.ConsoleProgress;
import io.kubestead.installer.bundle.Sha256Sums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code installer bundle pack STAGING --out FILE --key FILE [--gzip]}: a staging directory to a signed bundle. */
@Command(name = "bundle", mixinStandardHelpOptions = true, description = "Air-gap bundle tools.",
        subcommands = BundlePackCommand.Pack.class)
final class BundlePackCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'installer bundle pack STAGING --out FILE --key FILE'");
    }

    @Command(name = "pack", mixinStandardHelpOptions = true,
            description = {"Pack STAGING (the bundle layout: agent/, bin/, images/, ...) into a signed, reproducible bundle.",
                "The version, arch, created time and images come from STAGING/manifest.json if there is one (an",
                "extracted bundle repacks to the same bytes), else from the options."})
    static final class Pack implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "STAGING", description = "Directory to pack.")
        Path staging;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "kubestead-airgap-VERSION-linux-ARCH.tar.zst")
        Path out;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "bundle-signing.key from 'installer keygen'")
        Path key;

        @Option(names = "--gzip", description = "gzip instead of zstd (zstd extracts faster; see bench/README.md).")
        boolean gzip;

        @Option(names = "--kubernetes-version", paramLabel = "V") String kubernetesVersion;
        @Option(names = "--arch", paramLabel = "ARCH") String arch;
        @Option(names = "--created", paramLabel = "INSTANT", description = "e.g. 2026-01-01T00:00:00Z (every entry's mtime)")
        String created;
        @Option(names = "--image", paramLabel = "REF=PATH", description = "an image and its OCI layout tar (repeatable)")
        List<String> images = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            if (!Files.isDirectory(staging)) {
                throw new IllegalArgumentException("STAGING " + staging + " is not a directory");
            }
            BundleWriter.Metadata metadata = metadata();
            long start = System.nanoTime();
            var meter = new ConsoleProgress(spec.commandLine().getOut(), System.console() != null)
                    .meter("packing " + out.getFileName());
            BundleManifest m;
            var privateKey = KeyFiles.privateKey(key);
            try {
                m = new BundleWriter(gzip ? Compression.GZIP : Compression.ZSTD, meter::update)
                        .write(staging, metadata, privateKey, out);
            } finally {
                meter.finish();
            }
            String sum = Sha256Sums.update(out);
            Sha256Sums.sign(out.toAbsolutePath().resolveSibling(Sha256Sums.NAME), privateKey);
            spec.commandLine().getOut().printf("[INFO] packed %d files (%d MiB) into %s in %.1f s (sha256 %s, in %s)%n",
                    m.files().size(), m.totalBytes() >> 20, out, (System.nanoTime() - start) / 1e9, sum,
                    out.toAbsolutePath().resolveSibling("SHA256SUMS"));
            spec.commandLine().getOut().flush();
            return 0;
        }

        private BundleWriter.Metadata metadata() throws IOException {
            Path existing = staging.resolve("manifest.json");
            if (Files.isRegularFile(existing)) {
                return BundleWriter.Metadata.of(BundleManifest.parse(Files.readAllBytes(existing)));
            }
            if (kubernetesVersion == null || arch == null || created == null) {
                throw new IllegalArgumentException("STAGING has no manifest.json: give --kubernetes-version, --arch and --created");
            }
            List<BundleManifest.ImageEntry> list = new ArrayList<>();
            for (String image : images) {
                int eq = image.lastIndexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--image " + image + ": give REF=PATH, e.g. registry.k8s.io/pause:3.10=images/pause.tar");
                }
                list.add(new BundleManifest.ImageEntry(image.substring(0, eq), image.substring(eq + 1)));
            }
            return new BundleWriter.Metadata(kubernetesVersion, arch, created, list);
        }
    }
}
