package io.kubestead.agent.nodeadd;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.join.JoinCommands;
import io.kubestead.agent.join.JoinScriptIssuer;
import io.kubestead.agent.kubeadm.Kubeadm;
import io.kubestead.agent.spec.InstallSpec;
import io.kubestead.agent.spec.InstallSpecJson;
import io.kubestead.agent.spec.Shown;
import io.kubestead.agent.spec.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The join material a master hands to {@link NodeAdder}: the files to copy (install.sh, and the agent bundle unless
 * the hosts fetch it) and fresh join secrets. {@code kubestead node add} and the console's SSH add both come here,
 * so a host joined either way gets the same words, files and secrets.
 */
public final class MasterJoinMaterial {
    private MasterJoinMaterial() {
    }

    /** Fresh secrets and what they make. */
    public record Issued(JoinCommands commands, JoinMaterial material) {
    }

    /**
     * The agent bundle, its SHA256SUMS and signature from {@code bundle}, checked to be there; {@code named} is how
     * the directory is named in a refusal ("--bundle ").
     */
    public static List<Path> bundleFiles(Path bundle, String named) throws IOException {
        // the hosts are taken to share this master's architecture, as a cluster's nodes usually do
        String arch = System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
        if (!Files.isDirectory(bundle)) {
            throw new SpecException(named + Shown.quoted(bundle.toString()) + " is not a directory");
        }
        List<Path> agents;
        try (Stream<Path> s = Files.list(bundle)) {
            agents = s.filter(p -> p.getFileName().toString().matches("kubestead-agent-[A-Za-z0-9._+~-]+-linux-" + arch + "\\.tar\\.gz"))
                    .filter(Files::isRegularFile).sorted().toList();
        }
        if (agents.size() != 1 || !Files.isRegularFile(bundle.resolve("SHA256SUMS"))) {
            throw new SpecException(named + Shown.quoted(bundle.toString()) + ": needs exactly one kubestead-agent-*-linux-"
                    + arch + ".tar.gz and SHA256SUMS (found " + agents.size() + " bundles)");
        }
        List<Path> files = new ArrayList<>(List.of(agents.get(0), bundle.resolve("SHA256SUMS")));
        if (Files.isRegularFile(bundle.resolve("SHA256SUMS.sig"))) {
            files.add(bundle.resolve("SHA256SUMS.sig"));
        }
        return files;
    }

    /** install.sh from {@code bundle} when it has one (it may pin a key), else the one beside the running agent. */
    public static Optional<Path> installScript(Optional<Path> bundle, Optional<Path> agentHome) {
        if (bundle.isPresent() && Files.isRegularFile(bundle.get().resolve("install.sh"))) {
            return Optional.of(bundle.get().resolve("install.sh"));
        }
        return agentHome.map(h -> h.resolve("install.sh")).filter(Files::isRegularFile);
    }

    /** Whether the hosts get the agent bundle themselves: air-gapped from a master, else from the recorded base URL. */
    public static boolean hostsFetchBundle(Host host, InstallSpec spec) {
        return spec.airgap() || host.readString(JoinScriptIssuer.BASE_URL_PATH).filter(u -> !u.isBlank()).isPresent();
    }

    /**
     * Fresh join secrets, as join-script makes them (both scripts written again), and the material for them. The
     * caller holds the host lock; install.json is read again under it.
     */
    public static Issued issue(Host host, Kubeadm kubeadm, SecureRandom random, Clock clock, boolean master,
            Path installScript, List<Path> bundleFiles) {
        InstallSpec spec = InstallSpecJson.read(host.readFile(InstallSpecJson.PATH).orElseThrow(
                () -> new IllegalStateException(InstallSpecJson.PATH + " is gone")));
        JoinCommands commands = new JoinScriptIssuer(host, kubeadm, random, clock).issue(spec, master);
        return new Issued(commands, JoinMaterial.of(commands, master, installScript, bundleFiles));
    }
}
