package io.kubestead.agent.nodeadd;

import io.kubestead.agent.ssh.SshTarget;
import java.util.List;
import java.util.function.Function;

/**
 * Hosts to add with the same join material. Workers join {@code parallel} at a time; masters one at a time (the
 * cluster's join lock would serialise them anyway, and one failing should be seen before the next starts).
 *
 * @param extraWords more words for one host's install.sh (tests give each host its own dry-run directory)
 */
public record NodeAddRequest(List<SshTarget> hosts, JoinMaterial material, int parallel,
        Function<SshTarget, List<String>> extraWords) {
    public static final int MAX_PARALLEL = 64;

    public NodeAddRequest {
        hosts = List.copyOf(hosts);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no hosts to add");
        }
        if (parallel < 1 || parallel > MAX_PARALLEL) {
            throw new IllegalArgumentException("parallel must be 1 to " + MAX_PARALLEL + ", not " + parallel);
        }
    }

    public NodeAddRequest(List<SshTarget> hosts, JoinMaterial material, int parallel) {
        this(hosts, material, parallel, h -> List.of());
    }
}
