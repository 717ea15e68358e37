package io.kubestead.installer.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds the agent bundle: one tar.gz holding bin/kubestead, lib/*.jar, runtime/ (jlink image),
 * install.sh and VERSION, laid out as /opt/kubestead; with a trusted key, also lib/kubestead-trust.jar
 * ({@link TrustJar}). Writes it to a dist directory with a
 * SHA256SUMS and a copy of install.sh beside it.
 */
public final class AgentBundleBuilder {

    private final BundleInputs in;

    public AgentBundleBuilder(BundleInputs in) {
        this.in = in;
    }

    /** The bundle's entries (unsorted; the tar writer sorts). */
    public List<BundleEntry> entries() throws IOException {
        requireFile(in.agentJar(), "the agent jar (build the agent module first)");
        requireFile(in.launcher(), "the launcher script");
        requireFile(in.installScript(), "scripts/install.sh");
        requireFile(in.runtimeDir().resolve("bin/java"), "the jlink runtime's java");
        List<BundleEntry> entries = new ArrayList<>();
        entries.add(BundleEntry.directory("bin"));
        entries.add(BundleEntry.file("bin/kubestead", 0755, in.launcher()));
        entries.add(BundleEntry.file("install.sh", 0755, in.installScript()));
        entries.add(BundleEntry.bytes("VERSION", 0644, (in.version() + "\n").getBytes(StandardCharsets.UTF_8)));
        entries.add(BundleEntry.directory("lib"));
        entries.add(BundleEntry.file("lib/" + in.agentJar().getFileName(), 0644, in.agentJar()));
        if (Files.isDirectory(in.agentLibDir())) {
            try (Stream<Path> jars = Files.list(in.agentLibDir())) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    entries.add(BundleEntry.file("lib/" + jar.getFileName(), 0644, jar));
                }
            }
        }
        if (in.trustedKeyPem() != null) {
            entries.add(BundleEntry.bytes(TrustJar.ENTRY, 0644, TrustJar.bytes(in.trustedKeyPem(), in.mtime())));
        }
        addTree(entries, in.runtimeDir(), "runtime");
        return entries;
    }

    /**
     * Writes the bundle, SHA256SUMS and install.sh into {@code distDir}, removing other agent
     * bundles there so the directory holds exactly one per arch. Returns the bundle's path.
     */
    public Path build(Path distDir) throws IOException {
        Files.createDirectories(distDir);
        List<BundleEntry> entries = entries();
        Path bundle = distDir.resolve(in.bundleFileName());
        try (Stream<Path> old = Files.list(distDir)) {
            for (Path p : old.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("kubestead-agent-") && n.endsWith("-linux-" + in.arch() + ".tar.gz") && !p.equals(bundle)) {
                    Files.delete(p);
                }
            }
        }
        new DeterministicTarGz(in.mtime()).write(entries, bundle);
        Path script = distDir.resolve("install.sh");
        Files.copy(in.installScript(), script, StandardCopyOption.REPLACE_EXISTING);
        Modes.set(script, 0755);
        Sha256Sums.write(distDir.resolve("SHA256SUMS"), List.of(bundle));
        return bundle;
    }

    private static void addTree(List<BundleEntry> entries, Path root, String prefix) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                String name = rel.isEmpty() ? prefix : prefix + "/" + rel;
                if (Files.isSymbolicLink(p)) {
                    entries.add(BundleEntry.symlink(name, Files.readSymbolicLink(p).toString()));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    entries.add(BundleEntry.directory(name));
                } else {
                    entries.add(BundleEntry.file(name, isExecutable(p) ? 0755 : 0644, p));
                }
            }
        }
    }

    private static boolean isExecutable(Path p) throws IOException {
        return Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
    }

    private static void requireFile(Path p, String what) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("missing " + what + ": " + p);
        }
    }
}
