package io.kubestead.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubestead.agent.bundle.BundleManifest;
import io.kubestead.agent.bundle.BundleReader;
import io.kubestead.agent.bundle.BundleSignature;
import io.kubestead.agent.progress.ConsoleMeter;
import io.kubestead.agent.progress.Meter;
import io.kubestead.agent.spec.Shown;
import io.kubestead.agent.spec.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kubestead bundle verify|extract}: check an air-gap bundle's signature and every file in it. */
@Command(name = "bundle", mixinStandardHelpOptions = true, description = "Verify or extract an air-gap bundle.")
final class BundleCommand implements Callable<Integer> {
    private final CliEnvironment env;

    BundleCommand(CliEnvironment env) {
        this.env = env;
    }

    static CommandLine commandLine(CliEnvironment env) {
        return new CommandLine(new BundleCommand(env))
                .addSubcommand("verify", new Verify(env))
                .addSubcommand("extract", new Extract(env));
    }

    @Override
    public Integer call() {
        throw new SpecException("bundle needs a subcommand: verify FILE or extract FILE DIR (see 'kubestead bundle --help')");
    }

    /** The trust options both subcommands take. */
    static class Trust {
        @Option(names = "--public-key", paramLabel = "FILE",
                description = "Trusted Ed25519 public key (PEM); default: the key built into this agent.")
        Path publicKey;

        @Option(names = "--insecure-skip-bundle-signature",
                description = "Accept an unsigned or wrongly signed bundle (file hashes are still checked).")
        boolean skip;

        /** The reader for the chosen trust, reporting to {@code meter}. */
        private BundleReader reader(CliEnvironment env, Meter meter) {
            PublicKey key;
            try {
                key = BundleSignature.trustedKey(publicKey).orElse(null);
            } catch (IOException e) {
                throw new SpecException("--public-key " + Shown.quoted(publicKey.toString()) + ": the file " + e.getMessage()
                        + "; give bundle-signing.pub from 'installer keygen'");
            } catch (io.kubestead.agent.bundle.BundleException e) {
                throw new SpecException("--public-key " + e.getMessage());
            }
            if (key == null && !skip) {
                throw new SpecException("no trusted bundle key: this agent has none built in; give --public-key FILE"
                        + " (bundle-signing.pub from 'installer keygen') or --insecure-skip-bundle-signature");
            }
            if (skip) {
                env.err().println("kubestead: warning: not checking the bundle's signature (--insecure-skip-bundle-signature)");
            }
            return new BundleReader(key, skip, meter::update);
        }

        /** One verified pass of {@code pass} with a meter on stderr, ended however the pass ends. */
        BundleManifest run(CliEnvironment env, String label, Function<BundleReader, BundleManifest> pass) {
            Meter meter = ConsoleMeter.on(env.err(), label, Meter.Unit.BYTES, env.terminal());
            try {
                return pass.apply(reader(env, meter));
            } finally {
                meter.finish();
            }
        }
    }

    /** The -o option both subcommands take: text for people, json for scripts and CI. */
    static class Output {
        @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
                description = "text (default) or json; progress goes to stderr either way")
        String format;

        /** After {@link #check}, which refuses any other format before the work starts. */
        void print(CliEnvironment env, String text, BundleManifest m, Path bundle, boolean signatureChecked, Path dir) {
            if (format.equals("json")) {
                env.out().print(json(m, bundle, signatureChecked, dir));
            } else {
                env.out().println(text);
            }
            env.out().flush();
        }

        void check() {
            if (!format.equals("text") && !format.equals("json")) {
                throw new SpecException("-o " + Shown.value(format) + " is not known; use text or json");
            }
        }

        private static String json(BundleManifest m, Path bundle, boolean signatureChecked, Path dir) {
            var mapper = new ObjectMapper();
            var root = mapper.createObjectNode();
            root.put("bundle", bundle.toAbsolutePath().toString());
            root.put("signature", signatureChecked ? "verified" : "not checked");
            root.put("kubernetesVersion", m.kubernetesVersion());
            root.put("arch", m.arch());
            root.put("created", m.created());
            root.put("files", m.files().size());
            root.put("bytes", m.totalBytes());
            var images = root.putArray("images");
            m.images().forEach(i -> images.add(i.ref()));
            if (dir != null) {
                root.put("extractedTo", dir.toAbsolutePath().toString());
            }
            try {
                return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + System.lineSeparator();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Path existing(Path bundle) {
        if (!Files.isRegularFile(bundle)) {
            throw new SpecException("bundle " + Shown.value(bundle.toString()) + " does not exist or is not a file");
        }
        return bundle;
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the bundle's signature and every file's size and SHA-256, writing nothing.")
    static final class Verify implements Callable<Integer> {
        private final CliEnvironment env;

        @Parameters(index = "0", paramLabel = "FILE", description = "kubestead-airgap-*.tar.zst or .tar.gz")
        Path bundle;

        @CommandLine.Mixin
        Trust trust = new Trust();

        @CommandLine.Mixin
        Output output = new Output();

        Verify(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            output.check();
            BundleManifest m = trust.run(env, "verifying", r -> r.verify(existing(bundle)));
            output.print(env, String.format("bundle %s: OK (%s, Kubernetes %s/%s, %d files, %d images)", bundle.getFileName(),
                    trust.skip ? "signature NOT checked" : "signature verified", m.kubernetesVersion(), m.arch(),
                    m.files().size(), m.images().size()), m, bundle, !trust.skip, null);
            return 0;
        }
    }

    @Command(name = "extract", mixinStandardHelpOptions = true,
            description = {"Verify and extract the bundle into DIR in one pass. DIR is created (its parent must exist)",
                "or replaces an earlier extraction (marked by its .kubestead-extracted file); any other non-empty DIR",
                "is refused. A refused bundle leaves DIR as it was."})
    static final class Extract implements Callable<Integer> {
        private final CliEnvironment env;

        @Parameters(index = "0", paramLabel = "FILE", description = "kubestead-airgap-*.tar.zst or .tar.gz")
        Path bundle;

        @Parameters(index = "1", paramLabel = "DIR", description = "where to extract, e.g. /var/lib/kubestead/bundle")
        Path dir;

        @CommandLine.Mixin
        Trust trust = new Trust();

        @CommandLine.Mixin
        Output output = new Output();

        Extract(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            output.check();
            BundleManifest m = trust.run(env, "extracting", r -> r.extract(existing(bundle), dir));
            output.print(env, String.format("bundle %s: extracted %d files (%d MiB) to %s", bundle.getFileName(),
                    m.files().size(), m.totalBytes() >> 20, dir), m, bundle, !trust.skip, dir);
            return 0;
        }
    }
}
