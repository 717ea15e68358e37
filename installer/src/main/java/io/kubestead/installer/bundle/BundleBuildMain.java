package io.kubestead.installer.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Build-time entry point, run by exec-maven-plugin during {@code package} (see installer/pom.xml):
 * {@code prepare-runtime} checks the module list with jdeps and clears the old jlink output
 * (jlink refuses an existing directory); {@code build} writes the bundle to target/dist, with the trusted
 * air-gap bundle key of {@code --trusted-key=FILE} or $KUBESTEAD_BUNDLE_PUBLIC_KEY built in when one is given.
 * Throws on failure so Maven fails; never calls System.exit (it runs inside Maven's JVM).
 */
public final class BundleBuildMain {

    private BundleBuildMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: BundleBuildMain prepare-runtime|build --key=value...");
        }
        Map<String, String> opts = options(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "prepare-runtime" -> prepareRuntime(opts);
            case "build" -> build(opts);
            default -> throw new IllegalArgumentException("unknown step " + args[0]);
        }
    }

    private static void prepareRuntime(Map<String, String> o) throws IOException {
        trustedKey(o.getOrDefault("trusted-key", ""), System.getenv(TrustJar.ENV)); // a bad key fails before jlink
        Path agentTarget = Path.of(o.get("agent"));
        Path agentJar = agentJar(agentTarget);
        Set<String> modules = new LinkedHashSet<>(List.of(o.get("modules").split(",")));
        Set<String> needed = new RuntimeModules().check(agentJar, jars(agentTarget.resolve("lib")), modules);
        System.out.println("[bundle] jdeps: agent and libraries need " + needed + " (+ optional "
                + new java.util.TreeSet<>(RuntimeModules.OPTIONAL_FOR_LIBRARIES) + " left out); runtime modules " + modules);
        deleteTree(Path.of(o.get("runtime")));
    }

    private static void build(Map<String, String> o) throws IOException {
        Path agentTarget = Path.of(o.get("agent"));
        Path target = Path.of(o.get("target"));
        BundleInputs in = new BundleInputs(
                o.get("version"),
                BundleInputs.archOf(o.get("arch")),
                agentJar(agentTarget),
                agentTarget.resolve("lib"),
                Path.of(o.get("runtime")),
                Path.of(o.get("launcher")),
                Path.of(o.get("install-script")),
                Instant.parse(o.get("timestamp")),
                trustedKey(o.getOrDefault("trusted-key", ""), System.getenv(TrustJar.ENV)).orElse(null));
        Path bundle = new AgentBundleBuilder(in).build(target.resolve("dist"));
        Path installer = target.resolve("bin/installer");
        Files.createDirectories(installer.getParent());
        Files.copy(Path.of(o.get("installer-launcher")), installer, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Modes.set(installer, 0755);
        System.out.printf("[bundle] %s (%d bytes), SHA256SUMS and install.sh in %s; installer launcher %s%n",
                bundle.getFileName(), Files.size(bundle), bundle.getParent(), installer);
        System.out.println(in.trustedKeyPem() != null
                ? "[bundle] built-in trusted air-gap bundle key: " + TrustJar.ENTRY
                : "[bundle] no built-in trusted air-gap bundle key (set " + TrustJar.ENV + "=FILE or"
                        + " -Dkubestead.bundle.publicKey=FILE): hosts need the word bundle-public-key=FILE");
    }

    /**
     * The trusted air-gap bundle key to build in, checked now so a wrong file fails the build: the option (the
     * Maven property kubestead.bundle.publicKey), else the environment variable, else none.
     */
    static java.util.Optional<byte[]> trustedKey(String option, String env) {
        if (option != null && !option.isBlank()) {
            return java.util.Optional.of(TrustJar.canonicalKey(Path.of(option.strip()), "kubestead.bundle.publicKey"));
        }
        if (env != null && !env.isBlank()) {
            return java.util.Optional.of(TrustJar.canonicalKey(Path.of(env.strip()), TrustJar.ENV));
        }
        return java.util.Optional.empty();
    }

    private static Path agentJar(Path agentTarget) throws IOException {
        List<Path> jars = jars(agentTarget).stream()
                .filter(p -> p.getFileName().toString().startsWith("kubestead-agent-"))
                .filter(p -> !p.getFileName().toString().endsWith("-sources.jar"))
                .toList();
        if (jars.size() != 1) {
            throw new IllegalStateException("expected one kubestead-agent-*.jar in " + agentTarget + ", found " + jars
                    + ": build from the root with mvn -DskipTests package");
        }
        return jars.get(0);
    }

    private static List<Path> jars(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --key=value, got " + a);
            }
            m.put(a.substring(2, eq), a.substring(eq + 1));
        }
        return m;
    }
}
