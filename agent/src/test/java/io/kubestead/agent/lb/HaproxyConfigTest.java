package io.kubestead.agent.lb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HaproxyConfigTest {
    static final List<Master> MASTERS = List.of(new Master("m3", "10.0.0.3"), new Master("m1", "10.0.0.1"),
            new Master("m2", "10.0.0.2"));
    static final LbSettings SETTINGS = Settings.internal("prod");
    @TempDir
    Path dir;

    @Test
    void masterConfigMatchesGoldenAndHaproxyAcceptsIt() throws Exception {
        String cfg = HaproxyConfig.forNode(SETTINGS, MASTERS, Optional.of("m2")).render();
        assertEquals(Programs.golden("haproxy-master.cfg"), cfg);
        Programs.assertHaproxyAccepts(dir, "master.cfg", cfg);
    }

    @Test
    void workerConfigBalancesOverAllMastersWithoutBackups() throws Exception {
        String cfg = HaproxyConfig.forNode(SETTINGS, MASTERS, Optional.empty()).render();
        Programs.assertHaproxyAccepts(dir, "worker.cfg", cfg);
        assertTrue(cfg.contains("    bind 127.0.0.1:6444\n"), cfg);
        assertTrue(cfg.contains("    server m1 10.0.0.1:6443\n    server m2 10.0.0.2:6443\n    server m3 10.0.0.3:6443\n"),
                "sorted by name, no backup: " + cfg);
    }

    @Test
    void ipv6MastersAreBracketedAndAccepted() throws Exception {
        List<Master> v6 = List.of(new Master("a", "fd00::1"), new Master("b", "fd00:0:0:1::2"), new Master("c", "10.1.1.1"));
        String cfg = HaproxyConfig.forNode(SETTINGS.withInternalPort(7443), v6, Optional.of("a")).render();
        Programs.assertHaproxyAccepts(dir, "v6.cfg", cfg);
        assertTrue(cfg.contains("server a [fd00::1]:6443\n"), cfg);
        assertTrue(cfg.contains("server b [fd00:0:0:1::2]:6443 backup\n"), cfg);
        assertTrue(cfg.contains("bind 127.0.0.1:7443\n"), cfg);
    }

    @Test
    void theSyntaxCheckCanFail() throws Exception {
        String broken = HaproxyConfig.forNode(SETTINGS, MASTERS, Optional.empty()).render()
                .replace("option httpchk", "option httpchek");
        assertNotEquals(0, Programs.haproxyCheck(dir, "broken.cfg", broken).exitCode());
    }

    @Test
    void localMasterMustBeListed() {
        assertThrows(IllegalArgumentException.class,
                () -> HaproxyConfig.forNode(SETTINGS, MASTERS, Optional.of("m9")));
    }

    @Test
    void manifestIsAHostNetworkStaticPodThatAChangedConfigLeavesAsItIs() throws Exception {
        String yaml = HaproxyManifest.render(SETTINGS.haproxyImage(), "/etc/kubestead/haproxy");
        assertEquals(Programs.golden("haproxy-manifest.yaml"), yaml);
        JsonNode pod = new YAMLMapper().readTree(yaml);
        assertEquals("kube-system", pod.at("/metadata/namespace").asText());
        assertTrue(pod.at("/spec/hostNetwork").asBoolean());
        assertEquals("system-node-critical", pod.at("/spec/priorityClassName").asText());
        assertEquals("/etc/kubestead/haproxy", pod.at("/spec/volumes/0/hostPath/path").asText());
        assertTrue(pod.at("/metadata/annotations").isMissingNode(), "no config hash: a new config is a reload, not a restart");
        assertEquals(List.of("haproxy", "-W", "-db", "-f", "/etc/kubestead-haproxy/haproxy.cfg"),
                new YAMLMapper().convertValue(pod.at("/spec/containers/0/command"), List.class),
                "the command line HaproxyManifest.RELOAD looks for");
        assertTrue("haproxy -W -db -f /etc/kubestead-haproxy/haproxy.cfg -x sockpair@4 -sf 12"
                .matches(HaproxyManifest.RELOAD.get(HaproxyManifest.RELOAD.size() - 1) + ".*"), "also after a reload");
        assertTrue(!"haproxy -W -db -f /etc/kubestead-haproxy/haproxy.cfgx".matches(
                HaproxyManifest.RELOAD.get(HaproxyManifest.RELOAD.size() - 1) + ".*"), "not another file");
    }
}
