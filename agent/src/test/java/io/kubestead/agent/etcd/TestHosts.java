package io.kubestead.agent.etcd;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Where test etcd members run: loopback ports of this machine, or each in its own network namespace (a test host
 * with its own address on a bridge the test creates, reached from the test JVM across that bridge).
 */
public abstract class TestHosts implements AutoCloseable {

    abstract EtcdTestCluster.Ports ports(String member);

    /** The command line that starts a program on the member's host. */
    abstract List<String> command(String member, List<String> argv);

    @Override
    public abstract void close();

    static TestHosts loopback() {
        return new TestHosts() {
            @Override
            EtcdTestCluster.Ports ports(String member) {
                return EtcdTestCluster.Ports.free();
            }

            @Override
            List<String> command(String member, List<String> argv) {
                return argv;
            }

            @Override
            public void close() {
            }
        };
    }

    static TestHosts namespaces() {
        return new Namespaces();
    }

    /** One namespace per member on 10.251.N.0/24, N random per test so parallel runs do not meet. */
    private static final class Namespaces extends TestHosts {
        private final int net = ThreadLocalRandom.current().nextInt(1, 250);
        private final String bridge = "ksb" + net;
        private final Map<String, String> addresses = new ConcurrentHashMap<>();
        private final List<String> namespaces = new ArrayList<>();
        private int next = 2;

        Namespaces() {
            run("ip", "link", "add", bridge, "type", "bridge");
            run("ip", "addr", "add", "10.251." + net + ".1/24", "dev", bridge);
            run("ip", "link", "set", bridge, "up");
        }

        private String namespace(String member) {
            return "ks" + net + "-" + member;
        }

        @Override
        synchronized EtcdTestCluster.Ports ports(String member) {
            String address = addresses.computeIfAbsent(member, m -> {
                int host = next++;
                String ns = namespace(m);
                String outside = "kv" + net + "h" + host;
                String inside = "kp" + net + "h" + host;
                String ip = "10.251." + net + "." + host;
                run("ip", "netns", "add", ns);
                namespaces.add(ns);
                run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside);
                run("ip", "link", "set", inside, "netns", ns);
                run("ip", "link", "set", outside, "master", bridge, "up");
                run("ip", "netns", "exec", ns, "ip", "addr", "add", ip + "/24", "dev", inside);
                run("ip", "netns", "exec", ns, "ip", "link", "set", inside, "up");
                run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
                return ip;
            });
            return new EtcdTestCluster.Ports(address, 2379, 2380);
        }

        @Override
        List<String> command(String member, List<String> argv) {
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace(member)));
            cmd.addAll(argv);
            return cmd;
        }

        @Override
        public synchronized void close() {
            for (String ns : namespaces) {
                quietly("ip", "netns", "del", ns);
            }
            quietly("ip", "link", "del", bridge);
        }

        private static void run(String... argv) {
            if (quietly(argv) != 0) {
                throw new IllegalStateException("test host setup failed (root and iproute2 are needed): " + String.join(" ", argv));
            }
        }
    }

    /** Runs a set-up or clean-up command (ip, ...) with its output discarded; its exit code, 124 after 20 s. */
    public static int quietly(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return 124;
            }
            return p.exitValue();
        } catch (IOException e) {
            return 127;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
