package io.kubestead.installer.cli;

import io.kubestead.installer.serve.FileServer;
import io.kubestead.installer.serve.ServeConfig;
import io.kubestead.agent.bundle.BundleException;
import io.kubestead.agent.bundle.BundleSignature;
import io.kubestead.installer.bundle.Sha256Sums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code installer serve DIR}: serve install.sh and bundles until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {
            "Serve DIR (install.sh, SHA256SUMS, agent and airgap bundles) over HTTP, or HTTPS with --tls-cert/--tls-key.",
            "install.sh is served with this server's base URL written in, so on each host",
            "  curl -fsSL URL/install.sh | sudo bash -s WORDS",
            "needs nothing else. Example: installer serve installer/target/dist --port 8080"})
final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Directory to serve.")
    Path dir;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "0.0.0.0", description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
    String bind;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain; serve HTTPS (needs --tls-key).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (unencrypted) for --tls-cert.")
    Path tlsKey;

    @Option(names = "--base-url", paramLabel = "URL", description = "URL written into install.sh instead of the one each request used (e.g. behind a proxy).")
    String baseUrl;

    @Option(names = "--bundle-public-key", paramLabel = "FILE",
            description = {"Pin this Ed25519 public key (bundle-signing.pub) into the served install.sh: it then refuses an",
                "agent bundle unless DIR/SHA256SUMS.sig verifies with it (installer sign-sums DIR --key KEY), and",
                "an air-gap bundle unless its manifest.sig does."})
    Path bundlePublicKey;

    @Override
    public Integer call() throws Exception {
        ServeConfig config = config();
        CountDownLatch stopped = new CountDownLatch(1);
        FileServer server = FileServer.start(config, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        System.out.printf("[INFO] serving %s%n", config.root().toAbsolutePath());
        System.out.printf("[INFO] listening on %s (%s:%d)%n", server.localUrl(), config.bind(), server.port());
        if (!Files.isRegularFile(config.root().resolve("install.sh"))) {
            System.out.printf("[WARN] %s has no install.sh%n", config.root());
        }
        System.out.printf("[INFO] on each host: curl -fsSL %s/install.sh | sudo bash -s WORDS%n",
                config.baseUrl().orElse(isWildcard(config.bind())
                        ? config.scheme() + "://<this-host>:" + server.port() : server.localUrl()));
        System.out.flush();
        stopped.await();
        return 0;
    }

    private static boolean isWildcard(String bind) {
        return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]");
    }

    private ServeConfig config() {
        CommandLine cl = spec.commandLine();
        if (!Files.isDirectory(dir)) {
            throw new CommandLine.ParameterException(cl, "DIR " + dir + " is not a directory: give the directory holding install.sh and the bundles");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new CommandLine.ParameterException(cl, "--tls-cert and --tls-key go together: give both for HTTPS, or neither");
        }
        Optional<ServeConfig.TlsFiles> tls = Optional.ofNullable(tlsCert).map(c -> new ServeConfig.TlsFiles(c, tlsKey));
        Optional<PublicKey> key = Optional.ofNullable(bundlePublicKey).map(this::bundleKey);
        try {
            return new ServeConfig(dir, bind, port, tls, Optional.ofNullable(baseUrl), key);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
    }

    /**
     * The key to pin, once DIR's SHA256SUMS (if any) is signed with it: otherwise every host given this install.sh
     * would refuse the agent bundle, so the server is refused now instead.
     */
    private PublicKey bundleKey(Path file) {
        CommandLine cl = spec.commandLine();
        PublicKey key;
        try {
            key = BundleSignature.readPublicKey(Files.readAllBytes(file), file.toString());
        } catch (IOException | BundleException e) {
            throw new CommandLine.ParameterException(cl, "--bundle-public-key " + file + ": " + e.getMessage()
                    + " (give the bundle-signing.pub of 'installer keygen')");
        }
        Path sums = dir.resolve(Sha256Sums.NAME);
        try {
            if (Files.exists(sums) && !Sha256Sums.signedBy(sums, key)) {
                throw new CommandLine.ParameterException(cl, sums + " has no " + Sha256Sums.SIGNATURE + " made with the key of"
                        + " --bundle-public-key " + file + ", so every host would refuse the agent bundle: run 'installer"
                        + " sign-sums " + dir + " --key KEY' (KEY: that key's bundle-signing.key) first");
            }
        } catch (IOException e) {
            throw new CommandLine.ParameterException(cl, "cannot read " + sums + ": " + e.getMessage());
        }
        return key;
    }
}
