package io.kubestead.agent.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Real etcd processes on loopback with TLS and client-certificate auth, data under a temp dir, free ports.
 * {@link #close()} kills every process it started.
 */
public final class EtcdTestCluster implements AutoCloseable {
    /** One started etcd process. */
    public record Node(String name, String peerUrl, String clientUrl, Process process, Path log) {
    }

    private static final Path ETCD = Path.of("/usr/bin/etcd");
    private final Path dir;
    private final TestPki pki;
    private final TestPki.Files3 client;
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final TestHosts hosts;

    /** Members on loopback ports of this machine. */
    public EtcdTestCluster(Path dir) {
        this(dir, TestHosts.loopback());
    }

    /** Members each on its own host: a network namespace with its own address, joined by a bridge. */
    public static EtcdTestCluster inNamespaces(Path dir) {
        return new EtcdTestCluster(dir, TestHosts.namespaces());
    }

    private EtcdTestCluster(Path dir, TestHosts hosts) {
        this.hosts = hosts;
        if (!Files.isExecutable(ETCD)) {
            throw new IllegalStateException("etcd is required for this test: apt-get install etcd-server");
        }
        this.dir = dir;
        this.pki = new TestPki(dir.resolve("pki"));
        this.client = pki.issue("client");
    }

    /**
     * Starts a member again on its old data directory and address, as a host that comes back after an outage does
     * (the initial-cluster flags are ignored once the data directory exists).
     */
    public Node restart(Node old) {
        java.net.URI client = java.net.URI.create(old.clientUrl());
        java.net.URI peer = java.net.URI.create(old.peerUrl());
        return start(old.name(), new Ports(client.getHost(), client.getPort(), peer.getPort()),
                old.name() + "=" + old.peerUrl(), "existing");
    }

    /** Starts a one-member cluster named {@code name} and waits until it is healthy. */
    public Node startFirst(String name) {
        Ports ports = hosts.ports(name);
        Node node = start(name, ports, name + "=" + ports.peerUrl(), "new");
        awaitHealthy(node);
        return node;
    }

    /** Free loopback ports for a member that will join later (its peer URL goes into member add first). */
    public Ports reservePorts() {
        return Ports.free();
    }

    /** The address and ports of the host a member named {@code name} will run on. */
    public Ports reservePorts(String name) {
        return hosts.ports(name);
    }

    /**
     * Starts a member that was already added to the cluster (kubeadm's static pod with
     * {@code --initial-cluster-state=existing}); {@code initialCluster} lists name=peerURL for the started members
     * and this one.
     */
    public Node startJoining(String name, Ports ports, List<EtcdMember> existing) {
        String initial = existing.stream().filter(EtcdMember::started)
                .map(m -> m.name() + "=" + m.peerUrls().get(0)).collect(Collectors.joining(","));
        return start(name, ports, initial + "," + name + "=" + ports.peerUrl(), "existing");
    }

    public EtcdClient client(Node... via) {
        List<URI> endpoints = new ArrayList<>();
        for (Node n : via) {
            endpoints.add(URI.create(n.clientUrl()));
        }
        return new EtcdClient(endpoints, PemTls.mutual(client.ca(), client.cert(), client.key()), Duration.ofSeconds(5));
    }

    /** The CA every member's certificates chain to (and the only one etcd trusts for clients). */
    public TestPki pki() {
        return pki;
    }

    public TestPki.Files3 clientFiles() {
        return client;
    }

    public void kill(Node node) {
        node.process().destroyForcibly();
        try {
            node.process().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        nodes.remove(node.name());
    }

    public void awaitHealthy(Node node) {
        EtcdClient c = client(node);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!c.health(URI.create(node.clientUrl()))) {
            if (!node.process().isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("etcd " + node.name() + " did not become healthy: " + tail(node));
            }
            sleep(50);
        }
    }

    public String tail(Node node) {
        try {
            List<String> lines = Files.readAllLines(node.log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private Node start(String name, Ports ports, String initialCluster, String state) {
        TestPki.Files3 server = pki.issue(name, ports.host());
        Path data = dir.resolve("data-" + name);
        Path log = dir.resolve(name + ".log");
        List<String> cmd = List.of(ETCD.toString(), "--name", name, "--data-dir", data.toString(),
                "--listen-client-urls", ports.clientUrl(), "--advertise-client-urls", ports.clientUrl(),
                "--listen-peer-urls", ports.peerUrl(), "--initial-advertise-peer-urls", ports.peerUrl(),
                "--initial-cluster", initialCluster, "--initial-cluster-state", state,
                "--cert-file", server.cert().toString(), "--key-file", server.key().toString(),
                "--trusted-ca-file", server.ca().toString(), "--client-cert-auth",
                "--peer-cert-file", server.cert().toString(), "--peer-key-file", server.key().toString(),
                "--peer-trusted-ca-file", server.ca().toString(), "--peer-client-cert-auth",
                "--heartbeat-interval=50", "--election-timeout=500", "--snapshot-count=10000");
        try {
            Process p = new ProcessBuilder(hosts.command(name, cmd)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Node node = new Node(name, ports.peerUrl(), ports.clientUrl(), p, log);
            nodes.put(name, node);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Node n : List.copyOf(nodes.values())) {
            kill(n);
        }
        hosts.close();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A member's address with its client and peer ports. */
    public record Ports(String host, int client, int peer) {
        /** Free ports on 127.0.0.1, found by binding port 0. */
        static Ports free() {
            try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
                return new Ports("127.0.0.1", a.getLocalPort(), b.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String clientUrl() {
            return "https://" + host + ":" + client;
        }

        public String peerUrl() {
            return "https://" + host + ":" + peer;
        }
    }
}
