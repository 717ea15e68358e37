package io.kubestead.agent.reset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubestead.agent.host.MemoryHost;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResetTargetTest {
    @Test
    void theNameComesFromTheWordThenInstallThenJoinSettingsThenTheHostName() {
        MemoryHost h = new MemoryHost("t");
        assertEquals(new ResetTarget("my-host", false, false), ResetTarget.detect(h, Optional.empty(), "My-Host"));
        h.writeString(ResetTarget.JOIN_CONFIG, "---\napiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\n"
                + "nodeRegistration:\n  name: worker-7\n", 0600);
        h.writeString("/etc/kubernetes/kubelet.conf", "kind: Config\n", 0600);
        assertEquals(new ResetTarget("worker-7", false, true), ResetTarget.detect(h, Optional.empty(), "my-host"));
        h.writeString(ResetTarget.INSTALL_JSON, "{\"nodeName\": \"cp-1\"}\n", 0644);
        h.writeString("/etc/kubernetes/manifests/etcd.yaml", "kind: Pod\n", 0600);
        assertEquals(new ResetTarget("cp-1", true, true), ResetTarget.detect(h, Optional.empty(), "my-host"));
        assertEquals("given", ResetTarget.detect(h, Optional.of("given"), "my-host").nodeName());
    }

    @Test
    void aDamagedSettingsFileFallsThrough() {
        MemoryHost h = new MemoryHost("t");
        h.writeString(ResetTarget.INSTALL_JSON, "{not json", 0644);
        assertEquals("h1", ResetTarget.detect(h, Optional.empty(), "h1").nodeName());
    }
}
