package io.kubestead.agent.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package layout holds: dependencies point down the table in the style guide. Read from the sources, so a
 * new import that breaks the layering fails here with the file that made it.
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/io/kubestead/agent");
    private static final Pattern REF = Pattern.compile("io\\.kubestead\\.agent\\.([a-z]+(?:\\.[a-z]+)*)\\.[A-Z]");

    /** What each package may use besides itself (the JDK and libraries aside). */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("version", Set.of()),
            Map.entry("host", Set.of()),
            Map.entry("cni", Set.of()),
            Map.entry("etcd", Set.of()),
            Map.entry("progress", Set.of()),
            Map.entry("tls", Set.of()),
            Map.entry("http", Set.of()),
            Map.entry("spec", Set.of("version")),
            Map.entry("preflight", Set.of("host", "hostsetup", "spec", "version")),
            Map.entry("hostsetup", Set.of("host", "version")),
            Map.entry("pki", Set.of("host", "spec", "version")),
            Map.entry("kubeadm", Set.of("host", "spec", "version")),
            Map.entry("lb", Set.of("host", "spec", "tls")),
            Map.entry("join", Set.of("etcd", "host", "kubeadm", "pki", "spec", "tls", "version")),
            Map.entry("reset", Set.of("etcd", "host", "join", "lb", "preflight", "spec", "kubeadm", "version")),
            Map.entry("airgap", Set.of("host", "spec", "version", "pki", "join", "bundle", "kubeadm", "hostsetup", "progress",
                    "http")),
            Map.entry("bundle", Set.of("host", "spec", "version")),
            Map.entry("plan", Set.of("host", "spec", "progress")),
            Map.entry("status", Set.of("etcd", "host", "join", "lb", "pki", "spec")),
            Map.entry("ssh", Set.of("spec")),
            Map.entry("nodeadd", Set.of("host", "join", "kubeadm", "spec", "ssh")),
            Map.entry("console", Set.of("host", "http", "join", "kubeadm", "nodeadd", "pki", "spec", "ssh", "status")),
            Map.entry("node", Set.of("etcd", "host", "join", "lb", "spec", "status")),
            Map.entry("controlplane", Set.of("etcd", "host", "pki", "spec", "tls")),
            Map.entry("backup", Set.of("controlplane", "etcd", "host", "spec")));

    private static String packageOf(Path file) {
        return SOURCES.relativize(file.getParent()).toString().replace('/', '.');
    }

    @Test
    void everyPackageUsesOnlyWhatTheLayoutAllows() throws IOException {
        List<String> violations = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = packageOf(f);
                seen.add(pkg);
                String text = Files.readString(f);
                if (!pkg.equals("cli") && text.contains("import picocli")) {
                    violations.add(f + ": only cli uses picocli");
                }
                Matcher m = REF.matcher(text);
                while (m.find()) {
                    String used = m.group(1);
                    if (used.equals(pkg)) {
                        continue;
                    }
                    if (used.equals("cli")) {
                        violations.add(f + ": nothing imports cli");
                    } else if (!pkg.equals("cli") && !pkg.startsWith("plan.") && !used.equals(pkg)) {
                        Set<String> allowed = ALLOWED.get(pkg);
                        if (allowed == null) {
                            violations.add(pkg + " has no row in the layout table (add one here)");
                        } else if (!allowed.contains(used)) {
                            violations.add(f + ": " + pkg + " may not use " + used);
                        }
                    }
                }
            }
        }
        assertTrue(seen.containsAll(List.of("cli", "plan", "plan.phases", "spec", "host", "pki", "kubeadm", "lb")), seen.toString());
        assertEquals(List.of(), violations.stream().distinct().toList());
    }
}
