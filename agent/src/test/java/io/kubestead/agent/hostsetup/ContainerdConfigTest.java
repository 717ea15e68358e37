package io.kubestead.agent.hostsetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.version.KubernetesVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerdConfigTest {
    @TempDir
    Path tmp;

    @Test
    void realContainerdLoadsTheConfigWithSystemdCgroupsAndThePauseImage() throws Exception {
        Path cfg = tmp.resolve("config.toml");
        String pause = ContainerdConfig.pauseImage("registry.k8s.io", KubernetesVersion.parse("1.33.4"));
        Files.writeString(cfg, ContainerdConfig.render(pause));
        Process p = new ProcessBuilder("containerd", "--config", cfg.toString(), "config", "dump")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("SystemdCgroup = true"), out);
        assertTrue(out.contains("sandbox_image = \"registry.k8s.io/pause:3.10\""), out);
    }

    @Test
    void realContainerdLoadsTheRestrictedOomScoreSetting() throws Exception {
        Path cfg = tmp.resolve("config.toml");
        String pause = ContainerdConfig.pauseImage("registry.k8s.io", KubernetesVersion.parse("1.34.4"));
        assertEquals(ContainerdConfig.render(pause), ContainerdConfig.render(pause, false));
        assertTrue(!ContainerdConfig.render(pause).contains("restrict_oom_score_adj"));
        Files.writeString(cfg, ContainerdConfig.render(pause, true));
        Process p = new ProcessBuilder("containerd", "--config", cfg.toString(), "config", "dump")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("restrict_oom_score_adj = true"), out);
        assertTrue(out.contains("SystemdCgroup = true"), out);
    }

    @Test
    void aHostWithoutCapSysResourceCannotLowerOomScores() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("host/proc/1"));
        io.kubestead.agent.host.Host host = new io.kubestead.agent.host.RootedHost("h", tmp.resolve("host"), c -> {
            throw new AssertionError(c.display());
        }, new io.kubestead.agent.host.ActionLog());
        assertTrue(ContainerdConfig.canLowerOomScores(host), "no /proc/1/status: assume a normal host");
        Files.writeString(root.resolve("status"), "Name:\tsystemd\nCapBnd:\t000001ffffffffff\nCapAmb:\t0\n");
        assertTrue(ContainerdConfig.canLowerOomScores(host));
        // what PID 1 of a container without CAP_SYS_RESOURCE shows (the node lab's, systemd-nspawn on a sandbox)
        Files.writeString(root.resolve("status"), "Name:\tsystemd\nCapBnd:\t000001fffeffffff\nCapAmb:\t0\n");
        assertTrue(!ContainerdConfig.canLowerOomScores(host));
    }

    @Test
    void pauseImageFollowsTheVersion() {
        assertEquals("registry.k8s.io/pause:3.9", ContainerdConfig.pauseImage("registry.k8s.io", KubernetesVersion.parse("1.30.1")));
        assertEquals("r.example/pause:3.10", ContainerdConfig.pauseImage("r.example", KubernetesVersion.parse("1.31.0")));
        assertEquals("r.example/pause:3.10", ContainerdConfig.pauseImage("r.example", KubernetesVersion.parse("1.33.6")));
        assertEquals("r.example/pause:3.10.1", ContainerdConfig.pauseImage("r.example", KubernetesVersion.parse("1.34.0")));
        assertEquals("r.example/pause:3.10.1", ContainerdConfig.pauseImage("r.example", KubernetesVersion.parse("1.35.5")));
        assertEquals("r.example/pause:3.10.2", ContainerdConfig.pauseImage("r.example", KubernetesVersion.parse("1.36.0")));
    }
}
