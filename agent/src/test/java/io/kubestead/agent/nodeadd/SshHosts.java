package io.kubestead.agent.nodeadd;

import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.realcluster.NamespaceHost;
import io.kubestead.agent.realcluster.TestBridge;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Test hosts that run a real OpenSSH server: each a {@link NamespaceHost} on a {@link TestBridge} with its own
 * sshd (own config, host key, authorized_keys and port under a scratch directory; /run is a tmpfs inside its mount
 * namespace for sshd's privilege-separation directory), so nothing on this machine's /etc or /run changes.
 */
public final class SshHosts implements AutoCloseable {
    private final TestBridge bridge = new TestBridge();
    private final Path dir;
    private final Path clientKey;
    private int hosts;

    /** A running sshd: where it listens and its host key (the public key's type and base64 blob). */
    public record SshHost(NamespaceHost host, String address, int port, Path dir, String publicKey) {
        public String knownHostsName() {
            return "[" + address + "]:" + port;
        }
    }

    public SshHosts(Path dir) throws Exception {
        this.dir = dir;
        this.clientKey = dir.resolve("client_ed25519");
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "node-add-test", "-f", clientKey.toString());
    }

    public Path clientKey() {
        return clientKey;
    }

    String unusedAddress() {
        return bridge.nextAddress();
    }

    /**
     * A host whose sshd lets root in with the client key, and {@code passwordUser} (created inside it, in its /etc
     * overlay, with a sudoers entry that asks the password) with a password.
     */
    public SshHost start(String name, String passwordUser, String password) throws Exception {
        int index = ++hosts;
        Path h = Files.createDirectories(dir.resolve(name));
        Path tree = Files.createDirectories(h.resolve("tree"));
        NamespaceHost ns = bridge.host(name, tree, h.resolve("scratch"), Files.createDirectories(h.resolve("bin")));
        int port = 2200 + index;
        Path hostKey = h.resolve("ssh_host_ed25519_key");
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", hostKey.toString());
        Path authorized = h.resolve("authorized_keys");
        Files.copy(Path.of(clientKey + ".pub"), authorized);
        Path config = h.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress " + ns.address(),
                "HostKey " + hostKey,
                "PidFile none",
                "AuthorizedKeysFile " + authorized,
                // the scratch path runs through /tmp, which is writable by all
                "StrictModes no",
                "UsePAM no",
                "PubkeyAuthentication yes",
                "PasswordAuthentication yes",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "UseDNS no",
                "PrintMotd no",
                "") + "\n");
        must(ns.run(Duration.ofSeconds(20), "sh", "-c", "mount -t tmpfs -o mode=0755 tmpfs /run && mkdir -m 0755 /run/sshd"));
        if (passwordUser != null) {
            Path home = Files.createDirectories(h.resolve("home"));
            // inside the host, /etc is an overlay: the user exists only there
            must(ns.run(Duration.ofSeconds(20), "useradd", "-M", "-d", home.toString(), "-s", "/bin/bash", passwordUser));
            must(ns.run(io.kubestead.agent.host.Command.of("chpasswd").withStdin(
                    (passwordUser + ":" + password + "\n").getBytes(StandardCharsets.UTF_8)).withTimeout(Duration.ofSeconds(20))));
            must(ns.run(Duration.ofSeconds(20), "chown", passwordUser, home.toString()));
            // sudo with the user's password, as on a host where an admin logs in and sudo asks
            must(ns.run(io.kubestead.agent.host.Command.of("sh", "-c", "umask 0227 && cat > /etc/sudoers.d/" + passwordUser)
                    .withStdin((passwordUser + " ALL=(ALL) ALL\n").getBytes(StandardCharsets.UTF_8))
                    .withTimeout(Duration.ofSeconds(20))));
        }
        ns.start(List.of("/usr/sbin/sshd", "-D", "-e", "-f", config.toString()), h.resolve("sshd.log"));
        waitForPort(ns.address(), port, h.resolve("sshd.log"));
        String pub = Files.readString(Path.of(hostKey + ".pub")).strip();
        return new SshHost(ns, ns.address(), port, h, pub.substring(0, pub.lastIndexOf(' ')));
    }

    /** A fresh ed25519 public key (type and blob), as another host would have. */
    String otherPublicKey() throws Exception {
        Path k = dir.resolve("other_" + System.nanoTime());
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", k.toString());
        String pub = Files.readString(Path.of(k + ".pub")).strip();
        return pub.substring(0, pub.lastIndexOf(' '));
    }

    private static void waitForPort(String address, int port, Path log) throws Exception {
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("sshd on " + address + ":" + port + " did not start: " + Files.readString(log));
    }

    private static void must(ExecResult r) {
        if (!r.ok()) {
            throw new IllegalStateException(r.command().display() + ": " + r.stderr() + r.stdout());
        }
    }

    static void sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + ": " + out);
        }
    }

    @Override
    public void close() {
        bridge.close();
    }

    /**
     * An agent bundle install.sh accepts, made of this build: the real launcher (bundles/agent/bin/kubestead), the
     * agent's classes as a jar with its libraries, and as runtime/bin/java a two-line script that runs this test's
     * JDK. The suite runs the agent module's tests before the installer module packs the real bundle (with its
     * jlink runtime), so this is the same agent and install.sh minus the packed runtime. Writes it and SHA256SUMS
     * into {@code out} and returns both paths.
     */
    public static List<Path> agentBundle(Path out) throws Exception {
        String arch = System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
        Path bundle = out.resolve("kubestead-agent-0.0.0-test-linux-" + arch + ".tar.gz");
        Files.createDirectories(out);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(bundle)))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            entry(tar, "bin/kubestead", Files.readAllBytes(Path.of("..", "bundles", "agent", "bin", "kubestead")), 0755);
            entry(tar, "runtime/bin/java", ("#!/bin/sh\nexec " + Path.of(System.getProperty("java.home"), "bin", "java")
                    + " \"$@\"\n").getBytes(StandardCharsets.UTF_8), 0755);
            entry(tar, "VERSION", "0.0.0-test\n".getBytes(StandardCharsets.UTF_8), 0644);
            entry(tar, "lib/kubestead-agent.jar", jar(Path.of("target", "classes")), 0644);
            for (String p : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                Path jar = Path.of(p);
                String n = jar.getFileName().toString();
                if (n.endsWith(".jar") && Files.isRegularFile(jar) && !n.startsWith("junit") && !n.startsWith("surefire")) {
                    entry(tar, "lib/" + n, Files.readAllBytes(jar), 0644);
                }
            }
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(bundle)));
        Path sums = out.resolve("SHA256SUMS");
        Files.writeString(sums, sha + "  " + bundle.getFileName() + "\n");
        return List.of(bundle, sums);
    }

    private static byte[] jar(Path classes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes); Stream<Path> walk = Files.walk(classes)) {
            List<Path> files = new ArrayList<>(walk.filter(Files::isRegularFile).sorted().toList());
            for (Path f : files) {
                jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(f));
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void entry(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        e.setMode(mode);
        tar.putArchiveEntry(e);
        ((OutputStream) tar).write(content);
        tar.closeArchiveEntry();
    }
}
