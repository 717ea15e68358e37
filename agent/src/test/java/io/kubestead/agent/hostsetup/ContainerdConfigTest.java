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
    void pauseImageFollowsTheVersion() {
        assertEquals("registry.k8s.io/pause:3.9", ContainerdConfig.pauseImage("registry.k8s.io", KubernetesVersion.parse("1.30.1")));
        assertEquals("r.example/pause:3.10", ContainerdConfig.pauseImage("r.example", KubernetesVersion.parse("1.31.0")));
        assertEquals("r.example/pause:3.10", ContainerdConfig.pauseImage("r.example", KubernetesVersion.parse("1.33.6")));
        assertEquals("r.example/pause:3.10.1", ContainerdConfig.pauseImage("r.example", KubernetesVersion.parse("1.34.0")));
        assertEquals("r.example/pause:3.10.1", ContainerdConfig.pauseImage("r.example", KubernetesVersion.parse("1.35.5")));
        assertEquals("r.example/pause:3.10.2", ContainerdConfig.pauseImage("r.example", KubernetesVersion.parse("1.36.0")));
    }
}
