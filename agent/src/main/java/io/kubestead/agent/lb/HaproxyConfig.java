package io.kubestead.agent.lb;

import java.util.List;
import java.util.Optional;

/**
 * The local API balancer's configuration: TCP passthrough on a loopback port to every master's API server, with
 * HTTPS /readyz checks every second (half a second while a state change is pending) and two failures to mark a master
 * down. On a master ({@code localMaster} present) the master itself is the only active server and the others are
 * backups, so its own clients stay local and only fail over when it is down.
 *
 * @param bindPort the loopback port (6444 in production, a free port in tests)
 * @param masters every master; rendered sorted by name so the text is deterministic
 * @param localMaster this node's master name, empty on a worker
 * @param statsSocket an optional admin socket path (tests and operators read server states through it)
 */
public record HaproxyConfig(int bindPort, List<Master> masters, Optional<String> localMaster,
                            Optional<String> statsSocket) {

    public HaproxyConfig {
        masters = masters.stream().sorted().toList();
        localMaster = localMaster == null ? Optional.empty() : localMaster;
        statsSocket = statsSocket == null ? Optional.empty() : statsSocket;
        String local = localMaster.orElse(null);
        if (local != null && masters.stream().noneMatch(m -> m.name().equals(local))) {
            throw new IllegalArgumentException("local master " + local + " is not among the masters "
                    + masters.stream().map(Master::name).toList() + "; add it before rendering");
        }
        if (masters.stream().map(Master::name).distinct().count() != masters.size()) {
            throw new IllegalArgumentException("two masters share a name: " + masters);
        }
    }

    public static HaproxyConfig forNode(LbSettings settings, List<Master> masters, Optional<String> localMaster) {
        return new HaproxyConfig(settings.internalPort(), masters, localMaster, Optional.empty());
    }

    public HaproxyConfig withStatsSocket(String path) {
        return new HaproxyConfig(bindPort, masters, localMaster, Optional.of(path));
    }

    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("# Kubestead local API balancer. Generated; rewritten whenever the masters change.\n");
        b.append("global\n");
        b.append("    log stderr format raw local0 notice\n");
        // No maxconn: haproxy then sizes it from the file limit it gets; a fixed 20000 needs 40k descriptors and
        // kills haproxy at start on hosts with a lower hard limit (seen in the tests).
        // A reload leaves the old process serving long watches; bound how long it may linger.
        b.append("    hard-stop-after 30s\n");
        statsSocket.ifPresent(s -> b.append("    stats socket ").append(s).append(" mode 600 level admin\n"));
        b.append("\n");
        b.append("defaults\n");
        b.append("    mode tcp\n");
        b.append("    log global\n");
        b.append("    option dontlognull\n");
        // A refused connect to a master not yet marked down is retried on another one, so clients do not see it.
        b.append("    option redispatch 1\n");
        b.append("    retries 3\n");
        b.append("    timeout connect 2s\n");
        // Watches are long-lived and mostly idle: do not cut them.
        b.append("    timeout client 24h\n");
        b.append("    timeout server 24h\n");
        b.append("    timeout tunnel 24h\n");
        b.append("    timeout client-fin 30s\n");
        b.append("    timeout server-fin 30s\n");
        // A frozen master is marked down after two checks that get no answer within this time.
        b.append("    timeout check 1s\n");
        b.append("\n");
        b.append("frontend kubestead-api\n");
        b.append("    bind 127.0.0.1:").append(bindPort).append('\n');
        b.append("    default_backend kubestead-masters\n");
        b.append("\n");
        b.append("backend kubestead-masters\n");
        b.append("    balance roundrobin\n");
        // Without it only the first backup would take over when the local master is down.
        b.append("    option allbackups\n");
        b.append("    option httpchk GET /readyz\n");
        b.append("    http-check expect status 200\n");
        // shutdown-sessions: clients of a dead master reconnect (through us, to a live one) at once.
        b.append("    default-server check check-ssl verify none inter 1s fastinter 500ms downinter 1s fall 2 rise 2"
                + " on-marked-down shutdown-sessions\n");
        for (Master m : masters) {
            b.append("    server ").append(m.name()).append(' ').append(m.endpoint());
            if (localMaster.isPresent() && !localMaster.get().equals(m.name())) {
                b.append(" backup");
            }
            b.append('\n');
        }
        return b.toString();
    }
}
