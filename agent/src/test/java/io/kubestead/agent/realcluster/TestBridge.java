package io.kubestead.agent.realcluster;

import static io.kubestead.agent.etcd.TestHosts.quietly;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A bridge in this machine's network namespace on 10.213.N.0/24 (N random, so parallel runs do not meet), the test
 * JVM at 10.213.N.254, and {@link NamespaceHost}s plugged into it by veth pairs at 10.213.N.1, .2, ... Closing it
 * closes every host (killing all their processes) and deletes the bridge.
 */
public final class TestBridge implements AutoCloseable {
    private final int net = ThreadLocalRandom.current().nextInt(1, 250);
    private final String bridge = "ksr" + net;
    private final List<NamespaceHost> hosts = new ArrayList<>();
    private final List<String> links = new ArrayList<>();
    private int next = 1;

    public TestBridge() {
        run("ip", "link", "add", bridge, "type", "bridge");
        try {
            run("ip", "addr", "add", "10.213." + net + ".254/24", "dev", bridge);
            run("ip", "link", "set", bridge, "up");
        } catch (RuntimeException e) {
            quietly("ip", "link", "del", bridge);
            throw e;
        }
    }

    /** The address the next host gets. */
    public synchronized String nextAddress() {
        return "10.213." + net + "." + next;
    }

    /**
     * A new host on the bridge with its own network and mount namespaces; {@code tree}'s directories are bound at
     * their host paths inside, and {@code binaries} (the upstream programs) lead its PATH (see {@link NamespaceHost}).
     */
    public synchronized NamespaceHost host(String name, Path tree, Path scratch, Path binaries) {
        int index = next++;
        String address = "10.213." + net + "." + index;
        NamespaceHost host = new NamespaceHost(name, address, tree, scratch, binaries);
        hosts.add(host);
        String outside = "ksr" + net + "h" + index;
        run("ip", "link", "add", outside, "type", "veth", "peer", "name", "ksrin" + net + "h" + index);
        links.add(outside);
        run("ip", "link", "set", "ksrin" + net + "h" + index, "netns", Long.toString(host.pid()));
        run("ip", "link", "set", outside, "master", bridge, "up");
        host.configureNetwork("ksrin" + net + "h" + index, address + "/24", "10.213." + net + ".254");
        return host;
    }

    @Override
    public synchronized void close() {
        for (NamespaceHost h : hosts) {
            h.close();
        }
        // the kernel frees an emptied namespace (and so its end of the pair) only later; deleting ours frees both now
        for (String link : links) {
            quietly("ip", "link", "del", link);
        }
        quietly("ip", "link", "del", bridge);
    }

    static void run(String... argv) {
        if (quietly(argv) != 0) {
            throw new IllegalStateException("test network setup failed (root and iproute2 are needed): "
                    + String.join(" ", argv));
        }
    }
}
