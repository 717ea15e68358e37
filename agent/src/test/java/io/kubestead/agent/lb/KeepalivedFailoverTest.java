package io.kubestead.agent.lb;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * The generated keepalived configuration, run by real keepalived on two "masters" (network namespaces joined by a
 * veth pair), each with a stand-in API server ({@code openssl s_server -www} answers any GET with 200). The VIP
 * goes to one master, moves when that master's API server stops, and stays put when it comes back (nopreempt).
 */
class KeepalivedFailoverTest {
    private static final String VIP = "10.99.0.100";
    @TempDir
    Path dir;
    private final String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
    private final String[] ns = {"kst-a-" + tag, "kst-b-" + tag};
    private final String[] ips = {"10.99.0.1", "10.99.0.2"};
    private final List<Master> masters = List.of(new Master("m1", ips[0]), new Master("m2", ips[1]));
    private final List<Process> processes = new ArrayList<>();
    private final Process[] apiservers = new Process[2];

    @BeforeEach
    void network() throws Exception {
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

    @AfterEach
    void cleanUp() throws Exception {
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

    @Test
    void vipFollowsAHealthyApiServerAndDoesNotFlapBack() throws Exception {
        Vip vip = new Vip(VIP, "eth0", Vip.routerIdFor("kst-" + tag));
        // m1 (the higher priority) first, so that it holds the VIP and its recovery would preempt if it could
        Path m1Log = startMaster(0, vip);
        assertEquals(0, awaitSingleHolder(-1));
        startMaster(1, vip);

        apiservers[0].destroy(); // its API server is gone: the check fails, the instance faults, the VIP moves
        apiservers[0].waitFor(5, TimeUnit.SECONDS);
        assertEquals(1, awaitSingleHolder(0));
        awaitLog(m1Log, "Entering FAULT STATE");

        apiservers[0] = startApiServer(0);
        awaitLog(m1Log, "Entering BACKUP STATE"); // its check passes again (rise 2 x interval 2 s)
        // Without nopreempt m1 takes the VIP back about 3 s after it re-enters BACKUP (seen with keepalived 2.2.7).
        Thread.sleep(6000);
        assertEquals(1, awaitSingleHolder(-1), "nopreempt: the VIP stays where it is when m1 recovers");
    }

    /** Starts master i's API server and keepalived; returns keepalived's log. */
    private Path startMaster(int i, Vip vip) throws Exception {
        apiservers[i] = startApiServer(i);
        Path conf = dir.resolve("keepalived-" + i + ".conf");
        Files.writeString(conf, new KeepalivedConfig(vip, masters, masters.get(i).name(), "test").render());
        start("ip", "netns", "exec", ns[i], "keepalived", "-n", "-l", "-D", "-P", "-f", conf.toString(),
                "-p", dir.resolve("ka-" + i + ".pid").toString(), "-r", dir.resolve("vrrp-" + i + ".pid").toString());
        return dir.resolve("out-" + (processes.size() - 1) + ".log");
    }

    /** Waits until the last VRRP state keepalived logged is {@code state}. */
    private static void awaitLog(Path log, String state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String last = "";
        while (System.nanoTime() < deadline) {
            last = Files.readString(log).lines().filter(l -> l.contains("Entering ") && l.contains(" STATE"))
                    .reduce((a, b) -> b).orElse("");
            if (last.contains(state)) {
                return;
            }
            Thread.sleep(100);
        }
        fail("keepalived never logged '" + state + "'; last: " + last);
    }

    private Process startApiServer(int i) throws Exception {
        return start("ip", "netns", "exec", ns[i], "openssl", "s_server", "-accept", ips[i] + ":6443",
                "-cert", dir.resolve("c.pem").toString(), "-key", dir.resolve("k.pem").toString(), "-www", "-quiet");
    }

    /** Waits until exactly one namespace holds the VIP (and it is not {@code not}); returns its index. */
    private int awaitSingleHolder(int not) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String seen = "";
        while (System.nanoTime() < deadline) {
            boolean a = holds(0);
            boolean b = holds(1);
            seen = "a=" + a + " b=" + b;
            if (a != b && (a ? 0 : 1) != not) {
                return a ? 0 : 1;
            }
            Thread.sleep(200);
        }
        fail("no single VIP holder (other than " + not + "): " + seen);
        return -1;
    }

    private boolean holds(int i) {
        return Programs.run("ip", "-n", ns[i], "-br", "addr", "show", "eth0").stdout().contains(VIP + "/32");
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
}
