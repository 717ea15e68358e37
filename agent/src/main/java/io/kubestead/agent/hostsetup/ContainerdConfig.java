package io.kubestead.agent.hostsetup;

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

    /** The pause image kubeadm of that version uses. */
    public static String pauseImage(String imageRepository, KubernetesVersion v) {
        return imageRepository + "/pause:" + (v.atLeast(31) ? "3.10" : "3.9");
    }

    /** Version 2 of the config format: containerd 1.6 and 1.7 read it, and 2.x migrates it on load. */
    public static String render(String pauseImage) {
        return """
                # Written by Kubestead. containerd for a Kubernetes node.
                version = 2

                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "%s"

                  [plugins."io.containerd.grpc.v1.cri".containerd]
                    default_runtime_name = "runc"

                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"

                      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                        SystemdCgroup = true

                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "/opt/cni/bin"
                    conf_dir = "/etc/cni/net.d"
                """.formatted(pauseImage);
    }
}
