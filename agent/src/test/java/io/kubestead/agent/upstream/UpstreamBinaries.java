package io.kubestead.agent.upstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Kubernetes binaries tests/upstream/build.sh built, by version, from its cache
 * ({@code $KUBESTEAD_UPSTREAM_CACHE}, default /var/cache/kubestead/upstream). When {@code KUBESTEAD_UPSTREAM} is set
 * (scripts/test sets it after building) a missing binary, or a run without root, fails the test naming what to do; when
 * it is unset such a test is skipped with the same message, so a developer's quick run does not need the build.
 */
public final class UpstreamBinaries {
    /** tests/upstream/versions seen from the agent module, where Surefire runs. */
    public static final Path VERSIONS = Path.of("..", "tests", "upstream", "versions").toAbsolutePath().normalize();
    public static final Path IN_TREE = Path.of("..", "tests", "upstream", "in-tree.sh").toAbsolutePath().normalize();
    private static final Pattern LINE = Pattern.compile("^(v\\d+\\.\\d+\\.\\d+)\\s+etcd=(v\\d+\\.\\d+\\.\\d+)\\s*$");

    /** One release the tests run: the Kubernetes version and the etcd its kubeadm names. */
    public record Release(String version, String etcdVersion) {
        /** {@code 1.34.4}, as kubestead's words take it. */
        public String bare() {
            return version.substring(1);
        }

        public int minor() {
            return Integer.parseInt(version.split("\\.")[1]);
        }

        @Override
        public String toString() {
            return version;
        }
    }

    private UpstreamBinaries() {
    }

    /** Every release listed in tests/upstream/versions, oldest first as listed. */
    public static List<Release> releases() {
        try {
            return Files.readAllLines(VERSIONS).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> {
                Matcher m = LINE.matcher(l);
                if (!m.matches()) {
                    throw new IllegalStateException(VERSIONS + ": '" + l + "' is not 'vX.Y.Z etcd=vA.B.C'");
                }
                return new Release(m.group(1), m.group(2));
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path cache() {
        String dir = System.getenv("KUBESTEAD_UPSTREAM_CACHE");
        return Path.of(dir == null || dir.isBlank() ? "/var/cache/kubestead/upstream" : dir);
    }

    static boolean required() {
        String v = System.getenv("KUBESTEAD_UPSTREAM");
        return v != null && !v.isBlank();
    }

    /** The binary NAME (kubeadm, kubelet, etcd ...) of a release; fails or skips as the class comment says. */
    public static Path binary(Release release, String name) {
        Path p = cache().resolve(release.version()).resolve(name);
        if (!Files.isExecutable(p)) {
            unavailable("no " + p + ": build it with 'tests/upstream/build.sh " + release.version() + "'");
        }
        return p;
    }

    /** A private mount namespace needs root; tests that bind-mount a tree at /etc/kubernetes call this first. */
    public static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            unavailable("running kubeadm in a private mount namespace needs root (unshare -m): run the tests as root");
        }
    }

    private static void unavailable(String why) {
        if (required()) {
            Assertions.fail(why);
        }
        Assumptions.abort(why + " (skipped because KUBESTEAD_UPSTREAM is unset; scripts/test sets it and then"
                + " requires the binaries)");
    }

    /** What a program printed (stdout and stderr together) and its exit code. */
    public record Run(List<String> command, int code, String output) {
        public Run ok() {
            Assertions.assertEquals(0, code, () -> String.join(" ", command) + " failed:\n" + output);
            return this;
        }
    }

    /** Runs a command to its end with no input; output is bounded by what the programs here print (a few KiB). */
    public static Run run(List<String> command, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            byte[] out = p.getInputStream().readNBytes(4 << 20);
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            int code = p.waitFor();
            return new Run(command, code, new String(out, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Run run(String... command) {
        return run(List.of(command), Map.of());
    }
}
