package io.kubestead.agent.lb;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two "masters" as network namespaces joined by a veth pair (10.99.0.1 and .2, interface eth0 in both), each with a
 * stand-in API server ({@code openssl s_server -www} answers any GET with 200) and, once started, real keepalived
 * running the generated configuration. For the VRRP test and the benchmark.
 */
final class VrrpPair implements AutoCloseable {
    static final String VIP = "10.99.0.100";
    private final Path dir;
    private final String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
    private final String[] ns = {"kst-a-" + tag, "kst-b-" + tag};
    private final String[] ips = {"10.99.0.1", "10.99.0.2"};
    private final List<Master> masters = List.of(new Master("m1", ips[0]), new Master("m2", ips[1]));
    private final List<Process> processes = new ArrayList<>();
    private final Process[] apiservers = new Process[2];
    private final Path[] logs = new Path[2];
    private final Vip vip;

    VrrpPair(Path dir) {
        this.dir = dir;
        this.vip = new Vip(VIP, "eth0", Vip.routerIdFor("kst-" + tag));
        run("ip", "netns", "add", ns[0]);
        run("ip", "netns", "add", ns[1]);
        run("ip", "link", "add", "kva" + tag, "type", "veth", "peer", "name", "kvb" + tag);
        String[] ends = {"kva" + tag, "kvb" + tag};
        for (int i = 0; i < 2; i++) {
            run("ip", "link", "set", ends[i], "netns", ns[i]);
            run("ip", "-n", ns[i], "link", "set", ends[i], "name", "eth0");
            run("ip", "-n", ns[i], "addr", "add", ips[i] + "/24", "dev", "eth0");
            run("ip", "-n", ns[i], "link", "set", "eth0", "up");
            run("ip", "-n", ns[i], "link", "set", "lo", "up");
        }
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", dir.resolve("k.pem").toString(), "-out", dir.resolve("c.pem").toString(), "-days", "1",
                "-subj", "/CN=kube-apiserver");
    }

    /** Starts master i's API server and keepalived with the generated configuration. */
    void startMaster(int i) throws Exception {
        startApiServer(i);
        Path conf = dir.resolve("keepalived-" + i + ".conf");
        Files.writeString(conf, new KeepalivedConfig(vip, masters, masters.get(i).name(), "test").render());
        start("ip", "netns", "exec", ns[i], "keepalived", "-n", "-l", "-D", "-P", "-f", conf.toString(),
                "-p", dir.resolve("ka-" + i + ".pid").toString(), "-r", dir.resolve("vrrp-" + i + ".pid").toString());
        logs[i] = dir.resolve("out-" + (processes.size() - 1) + ".log");
    }

    void startApiServer(int i) throws Exception {
        apiservers[i] = start("ip", "netns", "exec", ns[i], "openssl", "s_server", "-accept", ips[i] + ":6443",
                "-cert", dir.resolve("c.pem").toString(), "-key", dir.resolve("k.pem").toString(), "-www", "-quiet");
    }

    void stopApiServer(int i) throws InterruptedException {
        apiservers[i].destroy();
        apiservers[i].waitFor(5, TimeUnit.SECONDS);
    }

    boolean holds(int i) {
        return Programs.run("ip", "-n", ns[i], "-br", "addr", "show", "eth0").stdout().contains(VIP + "/32");
    }

    /** Waits until exactly one master holds the VIP (and it is not {@code not}); returns its index. */
    int awaitSingleHolder(int not) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String seen = "";
        while (System.nanoTime() < deadline) {
            boolean a = holds(0);
            boolean b = holds(1);
            seen = "a=" + a + " b=" + b;
            if (a != b && (a ? 0 : 1) != not) {
                return a ? 0 : 1;
            }
            Thread.sleep(50);
        }
        fail("no single VIP holder (other than " + not + "): " + seen);
        return -1;
    }

    /** Waits until the last VRRP state master i's keepalived logged contains {@code state}. */
    void awaitState(int i, String state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String last = "";
        while (System.nanoTime() < deadline) {
            last = Files.readString(logs[i]).lines().filter(l -> l.contains("Entering ") && l.contains(" STATE"))
                    .reduce((a, b) -> b).orElse("");
            if (last.contains(state)) {
                return;
            }
            Thread.sleep(100);
        }
        fail("keepalived never logged '" + state + "'; last: " + last);
    }

    private Process start(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(new File(dir.toFile(), "out-" + processes.size() + ".log")).start();
        processes.add(p);
        return p;
    }

    private static void run(String... argv) {
        var r = Programs.run(argv);
        assertEquals(0, r.exitCode(), String.join(" ", argv) + ": " + r.stderr());
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        for (String n : ns) {
            Programs.run("ip", "netns", "del", n);
        }
    }
}
