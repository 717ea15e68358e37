package io.kubestead.agent.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the running agent was unpacked: the directory holding bin/kubestead and lib/, if it runs from a bundle. */
final class AgentHome {
    private AgentHome() {
    }

    static Optional<Path> detect() {
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path home = jar.getParent() == null ? null : jar.getParent().getParent();
            if (Files.isRegularFile(jar) && home != null && Files.isRegularFile(home.resolve("bin/kubestead"))) {
                return Optional.of(home);
            }
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
