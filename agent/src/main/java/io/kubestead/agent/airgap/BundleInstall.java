package io.kubestead.agent.airgap;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.host.HostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Installs the binaries and systemd units of an extracted bundle through a {@link Host}: Kubernetes binaries,
 * runc and crictl into /usr/bin (where the distribution packages put them, so the rest of the agent finds them
 * either way), containerd into /usr/local/bin (where its release tarball and unit expect it), CNI plugins into
 * /opt/cni/bin. A target whose content already has the manifest's SHA-256 is left alone, so reruns change nothing.
 */
public final class BundleInstall {
    public static final String BIN_DIR = "/usr/bin";
    public static final String CONTAINERD_BIN_DIR = "/usr/local/bin";
    public static final String CNI_BIN_DIR = "/opt/cni/bin";
    static final List<String> KUBERNETES_BINARIES = List.of("kubeadm", "kubelet", "kubectl", "crictl", "runc");

    /** What one call changed: host paths written and those already up to date. */
    public record Outcome(List<String> written, List<String> unchanged, boolean reloaded) {
    }

    private final ExtractedBundle bundle;

    public BundleInstall(ExtractedBundle bundle) {
        this.bundle = bundle;
    }

    /** containerd, its shims and ctr, runc (containerd needs it), and containerd's unit; enables containerd. */
    public Outcome containerd(Host host) {
        Changes c = new Changes();
        List<ExtractedBundle.BundleFile> bins = bundle.under("containerd/bin/");
        if (bins.stream().noneMatch(f -> f.path().equals("containerd/bin/containerd"))) {
            throw new IllegalStateException("the air-gap bundle in " + bundle.dir() + " has no containerd/bin/containerd;"
                    + " use a bundle built by 'installer' for this version");
        }
        for (var f : bins) {
            c.binary(host, f, CONTAINERD_BIN_DIR + "/" + baseName(f.path()));
        }
        c.binary(host, required("bin/runc"), BIN_DIR + "/runc");
        c.unit(host, SystemdUnits.CONTAINERD_UNIT, SystemdUnits.containerd(CONTAINERD_BIN_DIR));
        return c.finish(host, "containerd");
    }

    /** kubeadm, kubelet, kubectl, crictl, the CNI plugins, the kubelet unit and kubeadm drop-in; enables kubelet. */
    public Outcome kubernetes(Host host) {
        Changes c = new Changes();
        for (String name : KUBERNETES_BINARIES) {
            c.binary(host, required("bin/" + name), BIN_DIR + "/" + name);
        }
        for (var f : bundle.under("cni/")) {
            c.binary(host, f, CNI_BIN_DIR + "/" + baseName(f.path()));
        }
        c.unit(host, SystemdUnits.KUBELET_UNIT, SystemdUnits.kubelet(BIN_DIR));
        c.unit(host, SystemdUnits.KUBEADM_DROP_IN, SystemdUnits.kubeadmDropIn(BIN_DIR));
        return c.finish(host, "kubelet");
    }

    private ExtractedBundle.BundleFile required(String path) {
        return bundle.file(path).orElseThrow(() -> new IllegalStateException("the air-gap bundle in " + bundle.dir()
                + " has no " + path + "; use a bundle built by 'installer' for this version"));
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private final class Changes {
        final List<String> written = new ArrayList<>();
        final List<String> unchanged = new ArrayList<>();
        boolean unitsChanged;

        void binary(Host host, ExtractedBundle.BundleFile f, String target) {
            Optional<byte[]> current = host.readFile(target);
            if (current.isPresent() && ExtractedBundle.sha256(current.get()).equals(f.sha256())
                    && host.mode(target).equals(Optional.of(0755))) {
                unchanged.add(target);
                return;
            }
            byte[] content = host.readFile(bundle.hostPath(f.path())).orElseThrow(() -> new HostException(
                    bundle.hostPath(f.path()) + " is missing from the extracted air-gap bundle; extract the bundle again"));
            if (!ExtractedBundle.sha256(content).equals(f.sha256())) {
                throw new HostException(bundle.hostPath(f.path()) + " does not match the SHA-256 in the bundle manifest"
                        + " (changed after extraction?); extract the bundle again");
            }
            host.writeFile(target, content, 0755);
            written.add(target);
        }

        void unit(Host host, String path, String content) {
            if (host.readString(path).equals(Optional.of(content))) {
                unchanged.add(path);
                return;
            }
            host.writeString(path, content, 0644);
            written.add(path);
            unitsChanged = true;
        }

        Outcome finish(Host host, String service) {
            if (unitsChanged) {
                host.run("systemctl", "daemon-reload").check();
            }
            host.run("systemctl", "enable", service).check();
            return new Outcome(List.copyOf(written), List.copyOf(unchanged), unitsChanged);
        }
    }
}
