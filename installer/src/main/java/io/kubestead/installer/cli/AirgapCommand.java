package io.kubestead.installer.cli;

import io.kubestead.installer.airgap.AirgapManifest;
import io.kubestead.installer.airgap.ConsoleProgress;
import io.kubestead.installer.airgap.Downloader;
import io.kubestead.installer.airgap.ImageFetcher;
import io.kubestead.installer.airgap.StagedBundle;
import io.kubestead.installer.airgap.StagingBuilder;
import io.kubestead.installer.airgap.StagingPacker;
import io.kubestead.installer.bundle.Sha256Sums;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code installer airgap build MANIFEST --out DIR}: the air-gap bundle's staging directory, then the bundle. */
@Command(name = "airgap", mixinStandardHelpOptions = true, description = "Air-gap bundles.",
        subcommands = {AirgapCommand.Build.class})
final class AirgapCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'installer airgap build airgap/kubernetes-1.33.yaml --out DIR'");
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Download what MANIFEST lists (binaries checked against their sha256, images from their",
                "registries as OCI layouts, the CNI manifest, the agent bundle) into a staging directory.",
                "Example: installer airgap build airgap/kubernetes-1.33.yaml --out out/"})
    static final class Build implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MANIFEST", description = "Bundle manifest (YAML), e.g. airgap/kubernetes-1.33.yaml.")
        Path manifest;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory for the bundle.")
        Path out;

        @Option(names = "--staging", paramLabel = "DIR",
                description = "Staging directory (must not exist or be empty). Default: DIR/kubestead-airgap-VERSION-linux-ARCH.")
        Path staging;

        @Option(names = "--base-dir", paramLabel = "DIR", defaultValue = ".",
                description = "Resolves the manifest's relative agent: path (the source checkout). Default: the current directory.")
        Path baseDir;

        @Option(names = "--plain-http-registry", paramLabel = "HOST:PORT",
                description = "Reach this registry over plain http (a local mirror). Repeatable.")
        List<String> plainHttp = new ArrayList<>();

        @Option(names = "--signing-key", paramLabel = "FILE",
                description = "Ed25519 key from 'installer keygen': pack and sign the bundle. Without it the build stops"
                        + " at the staging directory.")
        Path signingKey;

        @Option(names = "--gzip", description = "gzip instead of zstd (zstd extracts faster; see bench/README.md).")
        boolean gzip;

        /** Set by tests; otherwise the agent's BundleWriter with --signing-key. */
        private final StagingPacker packer;

        Build() {
            this(null);
        }

        Build(StagingPacker packer) {
            this.packer = packer;
        }

        private Optional<StagingPacker> packer(ConsoleProgress progress) throws java.io.IOException {
            if (packer != null) {
                return Optional.of(packer);
            }
            if (signingKey == null) {
                return Optional.empty();
            }
            var key = KeyFiles.privateKey(signingKey);
            var compression = gzip ? io.kubestead.agent.bundle.Compression.GZIP : io.kubestead.agent.bundle.Compression.ZSTD;
            return Optional.of((s, outDir) -> {
                Path file = outDir.resolve(s.bundleFileName(compression.extension()));
                var meter = progress.meter("packing " + file.getFileName());
                new io.kubestead.agent.bundle.BundleWriter(compression, meter::update).write(s.dir(),
                        new io.kubestead.agent.bundle.BundleWriter.Metadata(s.kubernetesVersion(), s.arch(),
                                s.created().toString(), s.images().stream()
                                .map(i -> new io.kubestead.agent.bundle.BundleManifest.ImageEntry(i.ref(), i.path())).toList()),
                        key, file);
                meter.finish();
                return file;
            });
        }

        @Override
        public Integer call() throws Exception {
            AirgapManifest m = AirgapManifest.load(manifest);
            Path dir = staging != null ? staging
                    : out.resolve("kubestead-airgap-" + m.kubernetesVersion() + "-linux-" + m.arch());
            ConsoleProgress progress = ConsoleProgress.forStdout();
            StagingBuilder builder = new StagingBuilder(Downloader.standard(), new ImageFetcher(new HashSet<>(plainHttp)), progress);
            StagedBundle staged = builder.build(m, baseDir, dir);
            System.out.printf("[INFO] staging directory ready: %s (%d images)%n", staged.dir(), staged.images().size());
            Optional<StagingPacker> p = packer(progress);
            if (p.isPresent()) {
                if (signingKey != null) {
                    byte[] pub = io.kubestead.agent.bundle.BundleSignature.publicKeyPem(
                            KeyFiles.publicKeyOf(KeyFiles.privateKey(signingKey)));
                    io.kubestead.installer.airgap.AgentTrust.warning(staged, pub).ifPresent(w -> {
                        spec.commandLine().getErr().println("[WARN] " + w);
                        spec.commandLine().getErr().flush();
                    });
                }
                Path bundle = p.get().pack(staged, out);
                // for the copy to the site: `sha256sum -c SHA256SUMS` there, before the install checks every file
                String sum = Sha256Sums.update(bundle);
                System.out.printf("[INFO] bundle: %s (sha256 %s, in %s)%n", bundle, sum, bundle.resolveSibling("SHA256SUMS"));
                if (signingKey != null) {
                    var key = KeyFiles.privateKey(signingKey);
                    Sha256Sums.sign(bundle.resolveSibling(Sha256Sums.NAME), key);
                    // install.sh with the key pinned: on the site it checks the bundle before running its agent
                    try {
                        Path script = io.kubestead.installer.airgap.PinnedScript.write(staged, KeyFiles.publicKeyOf(key),
                                bundle.toAbsolutePath().getParent());
                        System.out.printf("[INFO] %s: the agent's install.sh with the signing key pinned; on each host,"
                                + " beside the bundle: sudo bash install.sh airgap WORDS%n", script);
                    } catch (java.io.IOException | RuntimeException e) {
                        spec.commandLine().getErr().println("[WARN] no install.sh written beside the bundle (" + e.getMessage()
                                + "): hosts need the word bundle-public-key=FILE (the signing key's .pub)");
                        spec.commandLine().getErr().flush();
                    }
                }
            } else {
                System.out.printf("[INFO] pack and sign it with: installer bundle pack %s --out %s --key FILE"
                        + " (or give --signing-key to this command)%n", staged.dir(), out);
            }
            return 0;
        }
    }
}
