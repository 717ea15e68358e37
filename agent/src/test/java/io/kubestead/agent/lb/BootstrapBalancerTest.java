package io.kubestead.agent.lb;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.ProcessRunner;
import io.kubestead.agent.host.RootedHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bootstrap balancer as a real daemonized haproxy on this machine, with its files under a temporary directory;
 * the reconciler reloads it when the masters change.
 */
class BootstrapBalancerTest {
    @TempDir
    Path dir;
    private final List<StandInApiServer> servers = new ArrayList<>();
    private BootstrapBalancer bootstrap;
    private RootedHost host;
    private LbPaths paths;
    private LbSettings settings;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        TestPki pki = new TestPki("kubernetes");
        for (String id : List.of("m1", "m2")) {
            servers.add(new StandInApiServer(id, pki.apiserver(id).serverContext(pki.ca())).start());
        }
        host = new RootedHost("local", Path.of("/"), new ProcessRunner(), new ActionLog());
        paths = LbPaths.under(dir.toString());
        port = HaproxyProcess.freePort();
        settings = Settings.internal("test").withInternalPort(port);
        bootstrap = new BootstrapBalancer(host, paths, settings.haproxyImage());
    }

    @AfterEach
    void tearDown() {
        bootstrap.stop();
        servers.forEach(StandInApiServer::stop);
    }

    @Test
    void startsServesReloadsWithNewBackendsAndStops() throws Exception {
        NodeBalancer node = new NodeBalancer(settings, paths);
        node.prepare(host, List.of(servers.get(0).master()), Optional.empty());
        assertFalse(bootstrap.running());
        assertEquals("haproxy", bootstrap.start());
        assertTrue(bootstrap.running());
        Probe probe = new Probe(2000);
        probe.awaitId(port, "m1");

        NodeChange change = node.apply(host, List.of(servers.get(0).master(), servers.get(1).master()), Optional.empty());
        assertEquals(List.of("haproxy-bootstrap"), change.reloads(), "a running bootstrap instance is reloaded");
        probe.awaitId(port, "m2");
        assertEquals(List.of(), node.apply(host, List.of(servers.get(0).master(), servers.get(1).master()),
                Optional.empty()).reloads(), "no change, no reload");

        assertEquals("haproxy", bootstrap.start(), "a rerun reloads the running instance instead of failing");
        assertTrue(bootstrap.running());
        String pid = Files.readString(Path.of(paths.bootstrapPidFile())).strip();
        bootstrap.stop();
        assertFalse(bootstrap.running());
        assertFalse(Files.exists(Path.of(paths.bootstrapPidFile())));
        assertFalse(Files.exists(Path.of("/proc/" + pid)), "haproxy " + pid + " is gone");
        assertThrows(IOException.class, () -> probe.get(port), "nothing listens after stop");
    }

    @Test
    void aBadConfigurationIsRefusedBeforeStarting() throws Exception {
        Files.createDirectories(Path.of(paths.haproxyDir()));
        Files.writeString(Path.of(paths.haproxyConfig()), "frontend x\n    bind 127.0.0.1:" + port + "\n    nonsense\n");
        assertThrows(RuntimeException.class, bootstrap::start);
        assertFalse(bootstrap.running());
    }

    /**
     * Without a haproxy program the image runs through ctr. Recorded, not run: that needs the image imported into
     * containerd, which this machine does not have; the flags are those of ctr 1.6's run --help.
     */
    @Test
    void withoutTheProgramItRunsTheImageThroughCtr() {
        List<String> seen = new ArrayList<>();
        RootedHost noHaproxy = new RootedHost("n", dir, c -> {
            seen.add(c.display());
            boolean missing = c.argv().get(0).equals("sh");
            String tasks = "TASK                    PID    STATUS\n" + BootstrapBalancer.CONTAINER + "    4242    RUNNING\n";
            return new io.kubestead.agent.host.ExecResult(c, missing ? 1 : 0,
                    c.argv().contains("ls") ? tasks : "", "");
        }, new ActionLog());
        BootstrapBalancer b = new BootstrapBalancer(noHaproxy, LbPaths.standard(), "docker.io/library/haproxy:2.8.14-alpine");
        assertEquals("ctr", b.start());
        assertTrue(seen.contains("ctr -n k8s.io run -d --net-host --mount type=bind,src=/etc/kubestead/haproxy,"
                + "dst=/usr/local/etc/haproxy,options=rbind:ro docker.io/library/haproxy:2.8.14-alpine "
                + BootstrapBalancer.CONTAINER + " haproxy -W -db -f /usr/local/etc/haproxy/haproxy.cfg"), seen.toString());
        assertTrue(b.running());
        b.reload();
        assertTrue(seen.contains("ctr -n k8s.io task kill -s SIGUSR2 " + BootstrapBalancer.CONTAINER), seen.toString());
        b.stop();
        assertTrue(seen.contains("ctr -n k8s.io container delete " + BootstrapBalancer.CONTAINER), seen.toString());
        assertFalse(noHaproxy.exists(LbPaths.standard().bootstrapPidFile()));
    }
}
