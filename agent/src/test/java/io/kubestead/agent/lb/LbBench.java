package io.kubestead.agent.lb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Benchmark of the generated local balancer (run by bench/lb/run.sh, not by the test suite): the latency HAProxy
 * adds on loopback against a direct connection, and the failover time when a master stops or freezes.
 * Arguments: [requests per latency series, default 2000] [failover runs per mode, default 5].
 */
public final class LbBench {
    private final List<StandInApiServer> servers = new ArrayList<>();
    private final Path dir;

    private LbBench(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("kst-lb-bench");
        LbBench b = new LbBench(dir);
        try {
            b.startServers();
            System.out.println("## " + Programs.run("haproxy", "-v").stdout().lines().findFirst().orElse("")
                    + "; " + Runtime.getRuntime().availableProcessors() + " CPUs; load "
                    + Files.readString(Path.of("/proc/loadavg")).strip());
            b.latency(n);
            b.failover(runs, false);
            b.failover(runs, true);
            b.vipFailover(runs);
        } finally {
            for (StandInApiServer s : b.servers) {
                s.close();
            }
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void startServers() throws Exception {
        TestPki pki = new TestPki("kubernetes");
        for (String id : List.of("m1", "m2", "m3")) {
            servers.add(new StandInApiServer(id, pki.apiserver(id, "api.test.kubestead.internal")
                    .serverContext(pki.ca())).start());
        }
    }

    private HaproxyProcess haproxy(int port, Optional<String> local, String name) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        Path sock = d.resolve("s.sock");
        String cfg = new HaproxyConfig(port, servers.stream().map(StandInApiServer::master).toList(), local,
                Optional.empty()).withStatsSocket(sock.toString()).render();
        HaproxyProcess h = HaproxyProcess.start(d, cfg, port, sock);
        waitAllUp(h);
        return h;
    }

    /** New TLS connection per request, and requests on one kept-alive connection: direct to m1 vs through HAProxy. */
    private void latency(int n) throws Exception {
        int port = HaproxyProcess.freePort();
        try (HaproxyProcess h = haproxy(port, Optional.of("m1"), "latency")) {
            int direct = servers.get(0).port();
            Probe probe = new Probe(5000);
            for (int i = 0; i < Math.min(n, 500); i++) { // warm-up: JIT, TLS session caches
                probe.get(direct);
                probe.get(port);
            }
            long[][] fresh = new long[2][n];
            for (int i = 0; i < n; i++) { // interleaved, so drifting machine load hits both series alike
                fresh[0][i] = time(() -> probe.get(direct));
                fresh[1][i] = time(() -> probe.get(port));
            }
            int k = n * 5;
            long[][] kept = new long[2][k];
            try (KeepAliveClient d = new KeepAliveClient(direct); KeepAliveClient l = new KeepAliveClient(port)) {
                for (int i = 0; i < 1000; i++) {
                    d.get();
                    l.get();
                }
                for (int i = 0; i < k; i++) {
                    kept[0][i] = time(d::get);
                    kept[1][i] = time(l::get);
                }
            }
            System.out.println("\n### Latency (microseconds; loopback; stand-in API server in Java)");
            System.out.println("| series | requests | direct p50 | HAProxy p50 | added p50 | direct p99 | HAProxy p99 | added p99 |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            row("new TLS connection per request", fresh);
            row("kept-alive connection", kept);
        }
    }

    private static void row(String name, long[][] s) {
        long d50 = pct(s[0], 50), l50 = pct(s[1], 50), d99 = pct(s[0], 99), l99 = pct(s[1], 99);
        System.out.printf("| %s | %d | %d | %d | %+d | %d | %d | %+d |%n", name, s[0].length,
                d50, l50, l50 - d50, d99, l99, l99 - d99);
    }

    /**
     * Four clients send requests (new connection each, 10 s timeout) through a worker's balancer while m2 stops
     * (connections refused) or freezes (TCP accepted, never answered). Failover time: from the stop until the end
     * of the last failed request, after which no request fails.
     */
    private void failover(int runs, boolean freeze) throws Exception {
        int port = HaproxyProcess.freePort();
        String mode = freeze ? "freeze" : "stop";
        System.out.println("\n### Failover when a master is " + (freeze ? "frozen (accepts TCP, never answers)"
                : "stopped (connections refused)") + " (ms)");
        System.out.println("| run | marked down after | requests | failed | failover (last failure ends) | slowest request |");
        System.out.println("|---|---|---|---|---|---|");
        List<Long> downs = new ArrayList<>();
        List<Long> failovers = new ArrayList<>();
        try (HaproxyProcess h = haproxy(port, Optional.empty(), "failover-" + mode)) {
            for (int run = 1; run <= runs; run++) {
                List<long[]> records = Collections.synchronizedList(new ArrayList<>()); // start, end, ok
                AtomicBoolean go = new AtomicBoolean(true);
                Probe probe = new Probe(10_000);
                List<Thread> clients = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    Thread t = new Thread(() -> {
                        while (go.get()) {
                            long s = System.nanoTime();
                            boolean ok = !probe.tryGet(port).startsWith("FAIL");
                            records.add(new long[] {s, System.nanoTime(), ok ? 1 : 0});
                        }
                    });
                    t.start();
                    clients.add(t);
                }
                Thread.sleep(1000);
                StandInApiServer m2 = servers.get(1);
                long t0 = System.nanoTime();
                if (freeze) {
                    m2.freeze();
                } else {
                    m2.stop();
                }
                long down = -1;
                while (down < 0 && System.nanoTime() - t0 < 30_000_000_000L) {
                    if (h.serverStates().getOrDefault("m2", "").startsWith("DOWN")) {
                        down = (System.nanoTime() - t0) / 1_000_000;
                    }
                    Thread.sleep(5);
                }
                Thread.sleep(3000);
                go.set(false);
                for (Thread t : clients) {
                    t.join();
                }
                List<long[]> after = records.stream().filter(r -> r[1] > t0).toList();
                long failed = after.stream().filter(r -> r[2] == 0).count();
                long failover = after.stream().filter(r -> r[2] == 0).mapToLong(r -> (r[1] - t0) / 1_000_000).max().orElse(0);
                long slowest = after.stream().mapToLong(r -> (r[1] - r[0]) / 1_000_000).max().orElse(0);
                System.out.printf("| %d | %d | %d | %d | %d | %d |%n", run, down, after.size(), failed, failover, slowest);
                downs.add(down);
                failovers.add(failover);
                m2.start();
                waitAllUp(h);
            }
        }
        System.out.printf("| median | %d | | | %d | |%n", median(downs), median(failovers));
    }

    /**
     * keepalived with the generated configuration on two masters in network namespaces: the holder's API server
     * stops; time until the other master holds the VIP, and how long no master held it.
     */
    private void vipFailover(int runs) throws Exception {
        System.out.println("\n### VIP failover when the holder's API server stops (ms)");
        System.out.println("| run | VIP on the other master after | no master held it for |");
        System.out.println("|---|---|---|");
        List<Long> moves = new ArrayList<>();
        try (VrrpPair pair = new VrrpPair(Files.createDirectories(dir.resolve("vrrp")))) {
            pair.startMaster(0);
            pair.awaitSingleHolder(-1);
            pair.startMaster(1);
            for (int run = 1; run <= runs; run++) {
                int holder = pair.awaitSingleHolder(-1);
                long t0 = System.nanoTime();
                pair.stopApiServer(holder);
                long released = -1;
                while (!pair.holds(1 - holder)) {
                    if (released < 0 && !pair.holds(holder)) {
                        released = System.nanoTime();
                    }
                    if (System.nanoTime() - t0 > 30_000_000_000L) {
                        throw new IllegalStateException("the VIP did not move");
                    }
                    Thread.sleep(10);
                }
                long moved = System.nanoTime();
                long gap = released < 0 ? 0 : (moved - released) / 1_000_000;
                System.out.printf("| %d | %d | %d |%n", run, (moved - t0) / 1_000_000, gap);
                moves.add((moved - t0) / 1_000_000);
                pair.startApiServer(holder);
                pair.awaitState(holder, "Entering BACKUP STATE");
            }
        }
        System.out.printf("| median | %d | |%n", median(moves));
    }

    private static void waitAllUp(HaproxyProcess h) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            var states = h.serverStates();
            if (states.size() == 3 && states.values().stream().allMatch("UP"::equals)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("masters not UP: " + h.serverStates());
    }

    interface Call {
        Object call() throws Exception;
    }

    private static long time(Call c) throws Exception {
        long s = System.nanoTime();
        c.call();
        return (System.nanoTime() - s) / 1000;
    }

    private static long pct(long[] v, int p) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

    private static long median(List<Long> v) {
        List<Long> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
