package io.kubestead.agent.hostsetup;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.version.KubernetesVersion;

/**
 * containerd's configuration for a kubeadm node: the systemd cgroup driver (the kubelet uses systemd, and two
 * cgroup managers on one host fight) and the pause image of the Kubernetes version, so the sandbox image kubeadm
 * pre-pulls is the one containerd uses (and the air-gap bundle carries).
 */
public final class ContainerdConfig {
    public static final String PATH = "/etc/containerd/config.toml";
    public static final String SOCKET = "unix:///var/run/containerd/containerd.sock";

    private ContainerdConfig() {
    }

    /**
     * The pause image kubeadm of that version uses (its constants.PauseVersion): 3.10 from 1.31, 3.10.1 from 1.34
     * (kubeadm 1.34.0's image list and 1.35's constants), 3.10.2 from 1.36 (what kubeadm 1.36 pre-pulls). A mismatch
     * is not cosmetic: an air-gapped node has only the bundle's images, and a sandbox image it lacks stops every pod.
     */
    public static String pauseImage(String imageRepository, KubernetesVersion v) {
        String tag = v.atLeast(36) ? "3.10.2" : v.atLeast(34) ? "3.10.1" : v.atLeast(31) ? "3.10" : "3.9";
        return imageRepository + "/pause:" + tag;
    }

    private static final long CAP_SYS_RESOURCE = 1L << 24;

    /**
     * Whether processes on this host may lower OOM scores (CAP_SYS_RESOURCE in the bounding set of PID 1, which
     * bounds every service). A host that is itself a container often may not: then runc fails every pod sandbox
     * ("failed to update /proc/self/oom_score_adj: Permission denied"), since the kubelet asks for -998 and below.
     */
    public static boolean canLowerOomScores(Host host) {
        return host.readString("/proc/1/status").flatMap(s -> s.lines().filter(l -> l.startsWith("CapBnd:")).findFirst())
                .map(l -> (Long.parseUnsignedLong(l.substring("CapBnd:".length()).strip(), 16) & CAP_SYS_RESOURCE) != 0)
                .orElse(true);
    }

    public static String render(String pauseImage) {
        return render(pauseImage, false);
    }

    /**
     * Version 2 of the config format: containerd 1.6 and 1.7 read it, and 2.x migrates it on load. With
     * {@code restrictOomScoreAdj} containerd raises every container's OOM score adjustment to its own (for hosts
     * where {@link #canLowerOomScores} is false).
     */
    public static String render(String pauseImage, boolean restrictOomScoreAdj) {
        return """
                # Written by Kubestead. containerd for a Kubernetes node.
                version = 2

                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "%s"
                %s
                  [plugins."io.containerd.grpc.v1.cri".containerd]
                    default_runtime_name = "runc"

                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"

                      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                        SystemdCgroup = true

                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "/opt/cni/bin"
                    conf_dir = "/etc/cni/net.d"
                """.formatted(pauseImage, restrictOomScoreAdj
                        ? "  # This host may not lower OOM scores (no CAP_SYS_RESOURCE): containers keep containerd's.\n"
                                + "  restrict_oom_score_adj = true\n"
                        : "");
    }
}
