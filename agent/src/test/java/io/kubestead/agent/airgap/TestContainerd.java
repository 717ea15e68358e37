package io.kubestead.agent.airgap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real containerd with its own root, state and socket under a test's directory; close() stops it. */
final class TestContainerd implements AutoCloseable {
    final Path socket;
    private final Process process;

    TestContainerd(Path dir) throws IOException, InterruptedException {
        socket = dir.resolve("c.sock");
        Path config = dir.resolve("config.toml");
        Files.writeString(config, """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs",
                  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper"]
                [grpc]
                  address = "%1$s/c.sock"
                [ttrpc]
                  address = "%1$s/c.sock.ttrpc"
                [plugins."io.containerd.internal.v1.opt"]
                  path = "%1$s/opt"
                """.formatted(dir));
        if (!Files.isExecutable(Path.of("/usr/bin/containerd")) || !Files.isExecutable(Path.of("/usr/bin/ctr"))) {
            throw new IllegalStateException("this test needs containerd and ctr (Debian package containerd)");
        }
        process = new ProcessBuilder("containerd", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("containerd.log").toFile()).start();
        for (int i = 0; i < 200; i++) {
            if (Files.exists(socket) && new ProcessBuilder(ctr("version")).start().waitFor() == 0) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("containerd exited: " + Files.readString(dir.resolve("containerd.log")));
            }
            Thread.sleep(50);
        }
        close();
        throw new IllegalStateException("containerd did not come up: " + Files.readString(dir.resolve("containerd.log")));
    }

    List<String> ctrPrefix() {
        return List.of("ctr", "--address", socket.toString());
    }

    List<String> ctr(String... args) {
        var l = new java.util.ArrayList<>(ctrPrefix());
        l.addAll(List.of(args));
        return l;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
