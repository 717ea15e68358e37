package io.kubestead.agent.cli;

import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.CommandRunner;
import io.kubestead.agent.host.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A host for the real (non-dry-run) install flow in tests: its files live under a temporary root, and the programs
 * the agent calls answer like a healthy Debian node would. Programs it cannot run here (apt-get, systemctl, kubeadm)
 * are recorded; a test may script any program's answer.
 */
final class StandInNode implements CommandRunner {
    final Path root;
    final List<Command> commands = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Function<Command, ExecResult>> programs = new ConcurrentHashMap<>();
    volatile String kubeadmVersion = null;

    StandInNode(Path root) throws IOException {
        this.root = root;
        write("/proc/meminfo", "MemTotal:        8000000 kB\n");
        write("/proc/swaps", "Filename\tType\tSize\tUsed\tPriority\n");
        write("/proc/net/tcp", "  sl  local_address rem_address   st\n");
        write("/proc/modules", "overlay 151552 0 - Live 0x0\nbr_netfilter 32768 0 - Live 0x0\n");
        write("/etc/fstab", "UUID=1 / ext4 defaults 0 1\n");
        write("/usr/bin/containerd", "");
        write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
        // getent passwd NAME, answered from this node's own /etc/passwd as the files database would
        answer("getent", c -> {
            try {
                String name = c.argv().get(c.argv().size() - 1);
                return Files.readAllLines(root.resolve("etc/passwd")).stream().filter(l -> l.startsWith(name + ":"))
                        .findFirst().map(l -> ok(c, l + "\n")).orElse(new ExecResult(c, 2, "", ""));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        answer("id", c -> ok(c, "0\n"));
        answer("uname", c -> ok(c, "Linux x86_64\n"));
        answer("nproc", c -> ok(c, "4\n"));
        answer("df", c -> ok(c, "Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/vda 100000000 1 90000000 1% /\n"));
        answer("timedatectl", c -> ok(c, "yes\n"));
        answer("kubeadm", c -> c.argv().size() > 1 && c.argv().get(1).equals("version")
                ? (kubeadmVersion == null ? new ExecResult(c, 127, "", "kubeadm: not found") : ok(c, kubeadmVersion + "\n"))
                : ok(c, ""));
    }

    /** Adds a user to this node's passwd database. */
    void user(String name, String home) throws IOException {
        Path passwd = root.resolve("etc/passwd");
        Files.writeString(passwd, Files.readString(passwd) + name + ":x:1000:1000::" + home + ":/bin/bash\n");
    }

    void write(String path, String content) throws IOException {
        Path p = root.resolve(path.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    void answer(String program, Function<Command, ExecResult> f) {
        programs.put(program, f);
    }

    static ExecResult ok(Command c, String out) {
        return new ExecResult(c, 0, out, "");
    }

    @Override
    public ExecResult run(Command command) {
        commands.add(command);
        Function<Command, ExecResult> f = programs.get(command.argv().get(0));
        ExecResult r = f == null ? ok(command, "") : f.apply(command);
        if (command.argv().get(0).equals("apt-get") && command.argv().contains("install")
                && command.argv().stream().anyMatch(a -> a.startsWith("kubeadm="))) {
            String pin = command.argv().stream().filter(a -> a.startsWith("kubeadm=")).findFirst().orElseThrow();
            kubeadmVersion = "v" + pin.substring("kubeadm=".length()).replace("-1.1", "");
        }
        return r;
    }

    List<String> displayed() {
        synchronized (commands) {
            return commands.stream().map(Command::display).toList();
        }
    }
}
