package io.kubestead.agent.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.ProcessRunner;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.version.KubernetesVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/** Helpers shared by the PKI tests: trees under temp roots and real programs. */
final class PkiTesting {
    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    private PkiTesting() {
    }

    static RootedHost host(Path root) {
        return new RootedHost("test", root, new ProcessRunner(), new ActionLog());
    }

    static PkiRequest request(String version, KeyAlgorithm alg) {
        return PkiRequest.defaults("cp1", "10.0.0.11", KubernetesVersion.parse(version))
                .withControlPlaneEndpoint("lb.example.test:6443").withKeyAlgorithm(alg).at(Instant.now());
    }

    static PkiResult generate(Path root, PkiRequest req) {
        return new Pki(new KeyPool(2), new SecureRandom()).ensure(host(root), req);
    }

    static Path pki(Path root) {
        return root.resolve("etc/kubernetes/pki");
    }

    /** Runs a real program; fails the test clearly if it is not installed. */
    static ExecResult run(String... argv) {
        ExecResult r = new ProcessRunner().run(Command.of(argv).withTimeout(java.time.Duration.ofSeconds(60)));
        if (r.exitCode() == 127) {
            throw new AssertionError(argv[0] + " is not installed: " + r.stderr());
        }
        return r;
    }

    static String ok(String... argv) {
        ExecResult r = run(argv);
        assertEquals(0, r.exitCode(), () -> String.join(" ", argv) + " failed: " + r.stderr() + r.stdout());
        return r.stdout();
    }

    static String sh(String script) {
        return ok("bash", "-c", script);
    }

    /** Every regular file under root, relative, sorted. */
    static List<String> files(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    /** The client certificate embedded in a kubeconfig, written out as PEM for openssl. */
    static Path clientCert(Path kubeconfig, Path out) throws IOException {
        Files.write(out, Kubeconfig.parse(Files.readAllBytes(kubeconfig)).certPem());
        return out;
    }
}
