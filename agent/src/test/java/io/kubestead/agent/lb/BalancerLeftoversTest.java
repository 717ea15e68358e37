package io.kubestead.agent.lb;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.ProcessRunner;
import io.kubestead.agent.host.RootedHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the internal balancer leaves when a node moves to another mode, with a real bootstrap haproxy running. */
class BalancerLeftoversTest {
    @TempDir
    Path dir;
    private BootstrapBalancer bootstrap;

    @AfterEach
    void tearDown() {
        if (bootstrap != null) {
            bootstrap.stop();
        }
    }

    @Test
    void aSwitchAwayFromTheInternalBalancerStopsItsHaproxyAndRemovesItsFiles() throws Exception {
        RootedHost host = new RootedHost("local", Path.of("/"), new ProcessRunner(), new ActionLog());
        LbPaths paths = LbPaths.under(dir.toString());
        LbSettings internal = Settings.internal("test").withInternalPort(HaproxyProcess.freePort());
        List<Master> masters = List.of(new Master("m1", "127.0.0.1", HaproxyProcess.freePort()));
        NodeBalancer node = new NodeBalancer(internal, paths);
        node.prepare(host, masters, Optional.empty());
        bootstrap = new BootstrapBalancer(host, paths, internal.haproxyImage());
        assertEquals("haproxy", bootstrap.start());
        String pid = Files.readString(Path.of(paths.bootstrapPidFile())).strip();
        node.apply(host, masters, Optional.empty());
        assertFalse(Files.exists(Path.of(paths.haproxyManifest())), "no static pod beside a running bootstrap instance");

        BalancerLeftovers none = BalancerLeftovers.forNode(paths, internal, false, true);
        assertEquals(List.of(), none.find(host), "the internal balancer's own files are no leftovers");

        BalancerLeftovers external = new BalancerLeftovers(paths, false, false, true);
        assertEquals(List.of("the bootstrap HAProxy", "haproxy.cfg"), external.find(host));
        List<String> removed = external.remove(host);
        assertEquals(List.of("the bootstrap HAProxy (stopped)", paths.haproxyConfig()), removed);
        assertFalse(Files.exists(Path.of("/proc/" + pid)), "haproxy " + pid + " is gone");
        assertFalse(Files.exists(Path.of(paths.haproxyDir())));
        assertEquals(List.of(), external.find(host));
        assertEquals(List.of(), external.remove(host), "a second run finds nothing");

        Files.createDirectories(Path.of(paths.haproxyDir()));
        Files.writeString(Path.of(paths.haproxyConfig()), "global\n# the operator's own\n");
        assertEquals(List.of(), external.find(host), "a file without Kubestead's mark is not ours");
        external.remove(host);
        assertTrue(Files.exists(Path.of(paths.haproxyConfig())));
    }
}
