package io.kubestead.agent.lb;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The generated HAProxy configuration, run by the real haproxy in front of three stand-in API servers (HTTPS with
 * apiserver-like certificates, answering /readyz). Issue item 2's requirement: a stopped master gets no new
 * connections within three seconds, no request fails after that, and a restarted master is used again.
 */
class FailoverTest {
    private static final long DETECTION_LIMIT_MS = 3000;
    @TempDir
    Path dir;
    private final List<StandInApiServer> servers = new ArrayList<>();
    private HaproxyProcess haproxy;
    private Probe probe;
    private int port;

    @BeforeEach
    void startServers() throws Exception {
        TestPki pki = new TestPki("kubernetes");
        for (String id : List.of("m1", "m2", "m3")) {
            TestPki.Leaf leaf = pki.apiserver(id, "api.test.kubestead.internal");
            servers.add(new StandInApiServer(id, leaf.serverContext(pki.ca())).start());
        }
        probe = new Probe(2000);
        port = HaproxyProcess.freePort();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (haproxy != null) {
            haproxy.close();
        }
        servers.forEach(StandInApiServer::stop);
    }

    @Test
    void workerStopsUsingAStoppedMasterAndUsesItAgainOnceItIsBack() throws Exception {
        startHaproxy(Optional.empty());
        assertEquals(Set.of("m1", "m2", "m3"), idsOf(30), "round robin over all three masters");

        StandInApiServer m2 = servers.get(1);
        m2.stop();
        List<String> during = new ArrayList<>();
        long detectedMs = awaitState("m2", "DOWN", () -> during.add(probe.tryGet(port)));
        assertTrue(detectedMs <= DETECTION_LIMIT_MS, "m2 marked down after " + detectedMs + " ms");
        long tr = System.nanoTime();
        List<String> after = requests(150);
        System.out.printf("[lb] 150 requests took %d ms%n", (System.nanoTime() - tr) / 1_000_000);
        assertTrue(after.stream().noneMatch(r -> r.startsWith("FAIL")), "a request failed after m2 was marked down: "
                + after.stream().filter(r -> r.startsWith("FAIL")).findFirst().orElse(""));
        assertEquals(Set.of("m1", "m3"), new HashSet<>(after), "the live masters share the load");
        System.out.printf("[lb] m2 marked down %d ms after stop; %d requests meanwhile, %d failed%n",
                detectedMs, during.size(),
                during.stream().filter(r -> r.startsWith("FAIL")).count());

        m2.start();
        awaitTrue("m2 serves again", () -> probe.tryGet(port).equals("m2"));
        assertEquals(Set.of("m1", "m2", "m3"), idsOf(30));
    }

    @Test
    void drainingMasterGetsNoNewConnectionsThoughItStillAnswers() throws Exception {
        startHaproxy(Optional.empty());
        StandInApiServer m3 = servers.get(2);
        m3.ready(false); // like an API server in its shutdown delay: /readyz 503, requests still served
        long detectedMs = awaitState("m3", "DOWN", () -> { });
        assertTrue(detectedMs <= DETECTION_LIMIT_MS, "m3 marked down after " + detectedMs + " ms");
        assertEquals(Set.of("m1", "m2"), idsOf(60), "no new connection goes to the draining master");
        m3.ready(true);
        awaitTrue("m3 is used again", () -> probe.tryGet(port).equals("m3"));
    }

    @Test
    void frozenMasterIsMarkedDownAndItsHungClientsAreReleased() throws Exception {
        startHaproxy(Optional.empty());
        StandInApiServer m1 = servers.get(0);
        m1.freeze(); // TCP still accepted, nothing answers: only the health check can tell
        Probe slow = new Probe(15_000);
        List<String> hung = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread client = new Thread(() -> {
            for (int i = 0; i < 6; i++) {
                hung.add(slow.tryGet(port));
            }
        });
        client.start();
        awaitState("m1", "DOWN", () -> { });
        client.join(15_000);
        assertFalse(client.isAlive(), "a client stuck on the frozen master is released when it is marked down");
        List<String> after = requests(60);
        assertTrue(after.stream().noneMatch(r -> r.startsWith("FAIL")), "requests failed: " + after);
        assertEquals(Set.of("m2", "m3"), new HashSet<>(after));
        m1.start();
        awaitTrue("m1 is used again", () -> probe.tryGet(port).equals("m1"));
    }

    @Test
    void masterPrefersItselfAndFailsOverToAllOthers() throws Exception {
        startHaproxy(Optional.of("m1"));
        assertEquals(Set.of("m1"), idsOf(30), "a master's balancer sends everything to its own API server");

        StandInApiServer m1 = servers.get(0);
        m1.stop();
        long detectedMs = awaitState("m1", "DOWN", () -> probe.tryGet(port));
        assertTrue(detectedMs <= DETECTION_LIMIT_MS, "m1 marked down after " + detectedMs + " ms");
        List<String> after = requests(60);
        assertFalse(after.stream().anyMatch(r -> r.startsWith("FAIL")), "requests failed: " + after);
        assertEquals(Set.of("m2", "m3"), new HashSet<>(after), "both backups take over, not just the first");

        m1.start();
        awaitTrue("m1 takes its own traffic back", () -> probe.tryGet(port).equals("m1"));
        assertEquals(Set.of("m1"), idsOf(20));
    }

    private void startHaproxy(Optional<String> localMaster) throws Exception {
        Path sock = dir.resolve("haproxy.sock");
        String cfg = new HaproxyConfig(port, servers.stream().map(StandInApiServer::master).toList(), localMaster,
                Optional.empty()).withStatsSocket(sock.toString()).render();
        haproxy = HaproxyProcess.start(dir, cfg, port, sock);
        awaitTrue("all masters UP", () -> {
            try {
                return haproxy.serverStates().values().stream().allMatch(s -> s.equals("UP"))
                        && haproxy.serverStates().size() == 3;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private Set<String> idsOf(int n) {
        List<String> r = requests(n);
        assertTrue(r.stream().noneMatch(s -> s.startsWith("FAIL")), "failed requests: " + r);
        return new HashSet<>(r);
    }

    private List<String> requests(int n) {
        List<String> r = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            r.add(probe.tryGet(port));
        }
        return r;
    }

    /** Milliseconds until haproxy reports {@code server} in {@code state}, running {@code meanwhile} in between. */
    private long awaitState(String server, String state, Runnable meanwhile) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (haproxy.serverStates().getOrDefault(server, "").startsWith(state)) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            meanwhile.run();
            Thread.sleep(10);
        }
        fail(server + " never became " + state + ": " + haproxy.serverStates() + "\n" + haproxy.log());
        return -1;
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        fail("timed out waiting until " + what);
    }
}
