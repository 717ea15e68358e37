package io.kubestead.agent.realcluster;

import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.CommandRunner;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.ProcessRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A test "host": its own network namespace (an address on a {@link TestBridge}) and its own mount namespace, in
 * which /etc and /var/lib are overlays whose writes go to a scratch directory, and a dry-run tree's
 * etc/kubernetes, etc/kubestead, var/lib/kubestead, var/lib/etcd and etc/hosts are bound at their host paths. So
 * kubeadm and the components it describes see the tree exactly where a real host has it, and the machine's own
 * /etc and /var/lib stay untouched. A holder process keeps the namespaces alive; commands enter them with nsenter.
 * {@link #close()} kills every process in the network namespace (the holder last), which frees both namespaces.
 */
public final class NamespaceHost implements CommandRunner, AutoCloseable {
    private static final String SETUP = """
            set -eu
            s="$1"; t="$2"
            mkdir -p "$s/etc/upper" "$s/etc/work" "$s/var-lib/upper" "$s/var-lib/work"
            mount -t overlay overlay -o "lowerdir=/etc,upperdir=$s/etc/upper,workdir=$s/etc/work" /etc
            mount -t overlay overlay -o "lowerdir=/var/lib,upperdir=$s/var-lib/upper,workdir=$s/var-lib/work" /var/lib
            for d in etc/kubernetes etc/kubestead var/lib/kubestead var/lib/etcd; do
                mkdir -p "$t/$d" "/$d"
                mount --bind "$t/$d" "/$d"
            done
            if [ -f "$t/etc/hosts" ]; then mount --bind "$t/etc/hosts" /etc/hosts; fi
            echo ready
            exec sleep 3600
            """;

    private final String name;
    private final String address;
    private final Path tree;
    private final Path binaries;
    private final Process holder;
    private final List<Process> started = new ArrayList<>();

    NamespaceHost(String name, String address, Path tree, Path scratch, Path binaries) {
        this.name = name;
        this.address = address;
        this.tree = tree;
        this.binaries = binaries;
        try {
            Files.createDirectories(scratch);
            holder = new ProcessBuilder("unshare", "--net", "--mount", "--propagation", "private", "sh", "-c", SETUP,
                    "holder", scratch.toString(), tree.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String ready;
        try {
            ready = line.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            ready = null;
        }
        if (!"ready".equals(ready)) {
            holder.destroyForcibly();
            throw new IllegalStateException("test host " + name + " did not start (root, unshare and overlayfs are"
                    + " needed): " + ready);
        }
    }

    public String name() {
        return name;
    }

    /** This host's address on the bridge. */
    public String address() {
        return address;
    }

    /** The dry-run tree bound into this host. */
    public Path tree() {
        return tree;
    }

    long pid() {
        return holder.pid();
    }

    void configureNetwork(String inside, String cidr, String gateway) {
        for (List<String> argv : List.of(
                List.of("ip", "link", "set", inside, "name", "eth0"),
                List.of("ip", "addr", "add", cidr, "dev", "eth0"),
                List.of("ip", "link", "set", "eth0", "up"),
                List.of("ip", "link", "set", "lo", "up"),
                List.of("ip", "route", "add", "default", "via", gateway))) {
            ExecResult r = run(Command.of(argv).withTimeout(Duration.ofSeconds(20)));
            if (!r.ok()) {
                throw new IllegalStateException("test host " + name + ": " + String.join(" ", argv) + ": " + r.stderr());
            }
        }
    }

    /** Runs a command inside this host, the directory of the upstream binaries first in PATH; bounded by the command's timeout. */
    @Override
    public ExecResult run(Command command) {
        ExecResult r = new ProcessRunner().run(new Command(inside(command.argv()), command.stdin(), env(command.env()),
                command.timeout(), command.display()));
        return new ExecResult(command, r.exitCode(), r.stdout(), r.stderr());
    }

    public ExecResult run(Duration timeout, String... argv) {
        return run(Command.of(argv).withTimeout(timeout));
    }

    /** Starts a long-running program inside this host, its output to {@code log}; killed by {@link #close()}. */
    public synchronized Process start(List<String> argv, Path log) {
        ProcessBuilder pb = new ProcessBuilder(inside(argv)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env(Map.of()));
        try {
            Process p = pb.start();
            started.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> inside(List<String> argv) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", Long.toString(holder.pid()), "-m", "-n", "--"));
        cmd.addAll(argv);
        return cmd;
    }

    private Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("PATH", binaries + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOME", "/root");
        env.remove("KUBECONFIG");
        return env;
    }

    /** Kills every process in this host's network namespace (whatever started it), then the holder. */
    @Override
    public synchronized void close() {
        String netns = namespaceOf(holder.pid());
        for (int round = 0; round < 3; round++) {
            List<ProcessHandle> inside = ProcessHandle.allProcesses()
                    .filter(p -> p.pid() != holder.pid() && netns != null && netns.equals(namespaceOf(p.pid())))
                    .toList();
            started.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
            started.forEach(Process::destroyForcibly);
            inside.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle p : inside) {
                try {
                    p.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // counted again in the next round
                }
            }
            if (inside.isEmpty()) {
                break;
            }
        }
        holder.destroyForcibly();
        try {
            holder.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String namespaceOf(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** Deletes a directory tree (scratch left by a host). */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
