package io.kubestead.agent.cli;

import io.kubestead.agent.airgap.BundleServer;
import io.kubestead.agent.airgap.BundleTls;
import io.kubestead.agent.airgap.ExtractedBundle;
import io.kubestead.agent.airgap.KubectlTokenCheck;
import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.pki.CaKind;
import io.kubestead.agent.pki.CaLoader;
import io.kubestead.agent.spec.SpecException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "bundle-serve", mixinStandardHelpOptions = true,
        header = "Serve this master's air-gap bundle to joining nodes (run by kubestead-bundle-server).",
        description = {"Serves " + ExtractedBundle.DEFAULT_DIR + " over HTTPS with a certificate from the cluster CA for",
            "the given addresses, to clients presenting a valid bootstrap token. Words: address=IP,... port=PORT."})
final class BundleServeCommand implements Callable<Integer> {
    private final CliEnvironment env;

    @Parameters(arity = "0..*", paramLabel = "WORD")
    List<String> words = new ArrayList<>();

    BundleServeCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        List<String> addresses = new ArrayList<>();
        int port = BundleServer.DEFAULT_PORT;
        for (String w : words) {
            if (w.startsWith("address=")) {
                addresses.addAll(Arrays.asList(w.substring(8).split(",")));
            } else if (w.startsWith("port=") && w.substring(5).matches("[0-9]{1,5}")
                    && Integer.parseInt(w.substring(5)) >= 1 && Integer.parseInt(w.substring(5)) <= 65535) {
                port = Integer.parseInt(w.substring(5));
            } else {
                throw new SpecException("bundle-serve: unknown word " + io.kubestead.agent.spec.Shown.quoted(w)
                        + "; give address=IP,... and port=PORT (1-65535)");
            }
        }
        if (addresses.isEmpty()) {
            throw new SpecException("bundle-serve needs address=IP,...: the addresses joining nodes reach this master at");
        }
        Host host = env.realHost().apply(new ActionLog());
        Clock clock = Clock.systemUTC();
        var ca = CaLoader.existing(host, CaKind.CA, clock.instant()).orElseThrow(() -> new IllegalStateException(
                "no cluster CA on this host: bundle-serve runs on masters"));
        if (ExtractedBundle.load(host, ExtractedBundle.DEFAULT_DIR).isEmpty()) {
            throw new IllegalStateException("no air-gap bundle in " + ExtractedBundle.DEFAULT_DIR + " to serve");
        }
        var tls = BundleTls.serverContext(ca, addresses, clock.instant(), new SecureRandom());
        try (BundleServer server = BundleServer.start(Path.of(ExtractedBundle.DEFAULT_DIR), new InetSocketAddress(port), tls,
                new KubectlTokenCheck(host, clock))) {
            env.out().println("serving " + ExtractedBundle.DEFAULT_DIR + " on port " + server.address().getPort()
                    + " for " + String.join(", ", addresses));
            env.out().flush();
            Thread.currentThread().join(); // until systemd stops the service
        }
        return 0;
    }
}
