package io.kubestead.installer.airgap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real containerd on a private socket, root and state under a temp dir (needs root), without the CRI plugin;
 * ctr runs against it. Stopped by close().
 */
final class LocalContainerd implements AutoCloseable {
    private final Process process;
    private final Path socket;
    private final Path log;

    LocalContainerd(Path dir) throws IOException, InterruptedException {
        for (String bin : new String[] {"/usr/bin/containerd", "/usr/bin/ctr"}) {
            if (!Files.isExecutable(Path.of(bin))) {
                throw new IllegalStateException(bin + " is missing: apt-get install containerd");
            }
        }
        Path root = Files.createDirectories(dir.resolve("root"));
        Path state = Files.createDirectories(dir.resolve("state"));
        socket = dir.resolve("containerd.sock");
        log = dir.resolve("containerd.log");
        Path config = dir.resolve("config.toml");
        Files.writeString(config, """
                version = 2
                disabled_plugins = ["io.containerd.grpc.v1.cri"]
                [plugins."io.containerd.internal.v1.opt"]
                  path = "%s"
                """.formatted(dir.resolve("opt")));
        process = new ProcessBuilder("/usr/bin/containerd", "--config", config.toString(), "--root", root.toString(),
                "--state", state.toString(), "--address", socket.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        for (int i = 0; i < 200; i++) {
            if (Files.exists(socket) && ctr("version").exit() == 0) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("containerd exited: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        close();
        throw new IllegalStateException("containerd did not start: " + Files.readString(log));
    }

    record Result(int exit, String output) {
    }

    /** Runs ctr against this containerd with the given arguments. */
    Result ctr(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ctr", "--address", socket.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), out);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
