package io.kubestead.agent.airgap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.HostException;
import io.kubestead.agent.host.RootedHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleInstallTest {
    @TempDir
    Path root;
    final List<String> commands = Collections.synchronizedList(new ArrayList<>());

    RootedHost host() {
        return new RootedHost("node", root, c -> {
            commands.add(String.join(" ", c.argv()));
            return new ExecResult(c, 0, "", "");
        }, new ActionLog());
    }

    ExtractedBundle extract(FakeBundle b) throws Exception {
        b.writeTo(root.resolve("var/lib/kubestead/bundle"));
        return ExtractedBundle.load(host(), ExtractedBundle.DEFAULT_DIR).orElseThrow();
    }

    @Test
    void installsBinariesWithModesAndUnitsThenChangesNothingOnRerun() throws Exception {
        ExtractedBundle bundle = extract(FakeBundle.standard());
        BundleInstall install = new BundleInstall(bundle);

        var c = install.containerd(host());
        var k = install.kubernetes(host());

        for (String p : List.of("usr/local/bin/containerd", "usr/local/bin/ctr", "usr/local/bin/containerd-shim-runc-v2",
                "usr/bin/runc", "usr/bin/kubeadm", "usr/bin/kubelet", "usr/bin/kubectl", "usr/bin/crictl",
                "opt/cni/bin/bridge", "opt/cni/bin/portmap")) {
            Path f = root.resolve(p);
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), p);
            String name = f.getFileName().toString();
            assertEquals("#!/bin/sh\necho " + name + "\n", Files.readString(f), p);
        }
        String unit = Files.readString(root.resolve("etc/systemd/system/containerd.service"));
        assertTrue(unit.contains("ExecStart=/usr/local/bin/containerd\n"), unit);
        assertTrue(Files.readString(root.resolve("etc/systemd/system/kubelet.service")).contains("ExecStart=/usr/bin/kubelet\n"));
        String dropIn = Files.readString(root.resolve("etc/systemd/system/kubelet.service.d/10-kubeadm.conf"));
        assertTrue(dropIn.contains("--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"));
        assertTrue(dropIn.contains("--config=/var/lib/kubelet/config.yaml"));
        assertTrue(dropIn.contains("EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env"));
        assertTrue(dropIn.contains("ExecStart=\nExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS"));
        assertEquals(List.of("systemctl daemon-reload", "systemctl enable containerd",
                "systemctl daemon-reload", "systemctl enable kubelet"), commands);
        assertTrue(c.reloaded() && k.reloaded());
        assertEquals(5, c.written().size());
        assertEquals(4 + 4 + 2, k.written().size()); // runc came with containerd
        assertEquals(List.of("/usr/bin/runc"), k.unchanged());

        commands.clear();
        var c2 = install.containerd(host());
        var k2 = install.kubernetes(host());
        assertEquals(List.of(), c2.written());
        assertEquals(List.of(), k2.written());
        assertFalse(c2.reloaded() || k2.reloaded());
        assertEquals(List.of("systemctl enable containerd", "systemctl enable kubelet"), commands);
    }

    @Test
    void replacesAnInstalledBinaryWhoseContentDiffers() throws Exception {
        ExtractedBundle bundle = extract(FakeBundle.standard());
        Files.createDirectories(root.resolve("usr/bin"));
        Files.writeString(root.resolve("usr/bin/kubeadm"), "old kubeadm");
        var out = new BundleInstall(bundle).kubernetes(host());
        assertTrue(out.written().contains("/usr/bin/kubeadm"));
        assertEquals("#!/bin/sh\necho kubeadm\n", Files.readString(root.resolve("usr/bin/kubeadm")));
    }

    @Test
    void refusesABundleFileChangedAfterExtraction() throws Exception {
        ExtractedBundle bundle = extract(FakeBundle.standard());
        Files.writeString(root.resolve("var/lib/kubestead/bundle/bin/kubelet"), "evil");
        var e = assertThrows(HostException.class, () -> new BundleInstall(bundle).kubernetes(host()));
        assertTrue(e.getMessage().contains("/var/lib/kubestead/bundle/bin/kubelet does not match the SHA-256"), e.getMessage());
        assertFalse(Files.exists(root.resolve("usr/bin/kubelet")));
    }

    @Test
    void namesAMissingBinary() throws Exception {
        FakeBundle b = new FakeBundle().file("containerd/bin/containerd", "x");
        ExtractedBundle bundle = extract(b);
        var e = assertThrows(IllegalStateException.class, () -> new BundleInstall(bundle).containerd(host()));
        assertTrue(e.getMessage().contains("has no bin/runc"), e.getMessage());
    }

    @Test
    void refusesManifestPathsThatLeaveTheBundle() {
        var e = assertThrows(IllegalArgumentException.class, () -> ExtractedBundle.parse("/b",
                "{\"files\":[{\"path\":\"bin/../../etc/passwd\",\"size\":1,\"sha256\":\"00\"}],\"images\":[]}".getBytes()));
        assertTrue(e.getMessage().contains("unsafe path"));
    }
}
