package io.kubestead.agent.lb;

import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.spec.SpecException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code keepalived -t -f} (2.2.x) checks a configuration, but also that its interfaces exist, so it runs in a network
 * namespace of our own with a veth interface of the configured name.
 */
class KeepalivedConfigTest {
    static final List<Master> MASTERS = HaproxyConfigTest.MASTERS;
    @TempDir
    Path dir;
    private String netns;

    @BeforeEach
    void namespace() {
        netns = "kst-lb-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        assertEquals(0, Programs.run("ip", "netns", "add", netns).exitCode());
        // veth, not dummy: kernels without the dummy module exist (this one); both ends stay in our namespace
        assertEquals(0, Programs.run("ip", "-n", netns, "link", "add", "eth0", "type", "veth", "peer", "name", "kstpeer0")
                .exitCode());
        assertEquals(0, Programs.run("ip", "-n", netns, "link", "set", "eth0", "up").exitCode());
    }

    @AfterEach
    void removeNamespace() {
        Programs.run("ip", "netns", "del", netns);
    }

    @Test
    void configMatchesGoldenAndKeepalivedAcceptsIt() throws Exception {
        LbSettings s = Settings.vip("prod", "10.0.0.100", "eth0");
        String conf = new KeepalivedConfig(s.vip().orElseThrow(), MASTERS, "m2", "prod").render();
        assertEquals(Programs.golden("keepalived-m2.conf"), conf);
        assertAccepted(conf);
    }

    @Test
    void everyMasterGetsItsOwnPeersAndPriority() throws Exception {
        Vip vip = new Vip("10.0.0.100", "eth0", 51);
        for (Master m : MASTERS) {
            String conf = new KeepalivedConfig(vip, MASTERS, m.name(), "prod").render();
            assertAccepted(conf);
            assertTrue(conf.contains("unicast_src_ip " + m.address() + "\n"), conf);
            String peers = conf.substring(conf.indexOf("unicast_peer {"), conf.indexOf("}", conf.indexOf("unicast_peer {")));
            assertTrue(!peers.contains(m.address()) && peers.lines().filter(l -> l.strip().startsWith("10.")).count() == 2, "peers are the two others: " + peers);
            assertTrue(conf.contains("https://" + m.address() + ":6443/readyz"), "checks its own API server");
        }
    }

    /**
     * The real check for every cluster size: one master (no peers), two and three. {@code keepalived -t} also disables
     * the track script, and exits 5, unless its program exists and is writable by root only (enable_script_security),
     * so this needs the host's {@code /usr/bin/curl}, as on the masters.
     */
    @Test
    void oneTwoAndThreeMastersPassTheCheck() throws Exception {
        assertTrue(Files.isExecutable(Path.of(KeepalivedConfig.CURL)), KeepalivedConfig.CURL + " is not installed");
        Vip vip = new Vip("10.0.0.100", "eth0", 51);
        List<Master> all = MASTERS.stream().sorted().toList();
        for (int n = 1; n <= 3; n++) {
            List<Master> masters = all.subList(0, n);
            for (Master m : masters) {
                String conf = new KeepalivedConfig(vip, masters, m.name(), "prod").render();
                ExecResult r = check(conf);
                String what = n + " master(s), on " + m.name() + ":\n" + r.stdout() + r.stderr() + "\n" + conf;
                assertEquals(0, r.exitCode(), "keepalived -t rejected " + what);
                assertFalse((r.stdout() + r.stderr()).contains("Defaulting to multicast"), what);
                if (n == 1) {
                    assertFalse(conf.contains("unicast"), "a lone master names no unicast peers: " + conf);
                } else {
                    String peers = conf.substring(conf.indexOf("unicast_peer {"), conf.indexOf("}", conf.indexOf("unicast_peer {")));
                    assertEquals(n - 1, peers.lines().filter(l -> l.strip().startsWith("10.")).count(), what);
                    assertFalse(peers.contains(m.address()), what);
                }
            }
        }
        List<Master> v6 = List.of(new Master("a", "fd00::1"));
        assertAccepted(new KeepalivedConfig(new Vip("fd00::100", "eth0", 7), v6, "a", "prod").render());
    }

    @Test
    void ipv6VipIsAccepted() throws Exception {
        List<Master> v6 = List.of(new Master("a", "fd00::1"), new Master("b", "fd00::2"), new Master("c", "fd00::3"));
        String conf = new KeepalivedConfig(new Vip("fd00::100", "eth0", 7), v6, "b", "prod").render();
        assertAccepted(conf);
        assertTrue(conf.contains("fd00::100/128 dev eth0"), conf);
    }

    @Test
    void theCheckCanFailAndMixedFamiliesAreRefused() throws Exception {
        String conf = new KeepalivedConfig(new Vip("10.0.0.100", "eth0", 51), MASTERS, "m1", "prod").render();
        assertNotEquals(0, check(conf.replace("interface eth0", "interface nosuch0")).exitCode());
        assertThrows(SpecException.class, () -> new KeepalivedConfig(new Vip("fd00::100", "eth0", 51), MASTERS, "m1", "prod"));
        assertThrows(SpecException.class, () -> new Vip("10.0.0.100", "eth0", 256));
    }

    private void assertAccepted(String conf) throws Exception {
        ExecResult r = check(conf);
        assertEquals(0, r.exitCode(), "keepalived -t rejected:\n" + r.stdout() + r.stderr() + "\n" + conf);
    }

    private ExecResult check(String conf) throws Exception {
        Path f = dir.resolve("keepalived.conf");
        Files.writeString(f, conf);
        return Programs.run("ip", "netns", "exec", netns, "keepalived", "-t", "-f", f.toString());
    }
}
