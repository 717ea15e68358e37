package io.kubestead.agent.spec;

import io.kubestead.agent.version.KubernetesVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What a joining node was told by its join script, validated. Secrets are held here but never printed. */
public record JoinSpec(
        boolean controlPlane,
        HostPort endpoint,
        String endpointAddress,
        LoadBalancer.Mode loadBalancer,
        List<String> masters,
        int internalPort,
        String token,
        String caHash,
        String certificateKey,
        KubernetesVersion kubernetesVersion,
        String nodeName,
        String privateAddress,
        boolean taintControlPlane,
        boolean airgap,
        Set<String> preflightIgnore,
        boolean yes,
        Path dryRunDir) {

    public JoinSpec {
        masters = List.copyOf(masters);
        preflightIgnore = Set.copyOf(preflightIgnore);
    }

    public Optional<Path> dryRun() {
        return Optional.ofNullable(dryRunDir);
    }

    @Override
    public String toString() {
        return "JoinSpec[" + (controlPlane ? "master" : "worker") + " " + nodeName + " -> " + endpoint + "]";
    }
}
