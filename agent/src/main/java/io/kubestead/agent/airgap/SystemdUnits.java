package io.kubestead.agent.airgap;

/**
 * The systemd units for binaries installed from a bundle. The agent writes its own rather than the bundle's copies
 * because the ExecStart paths must be exactly where {@link BundleInstall} puts the binaries. The kubelet unit and
 * drop-in match the kubernetes/release packaging that kubeadm expects.
 */
public final class SystemdUnits {
    public static final String KUBELET_UNIT = "/etc/systemd/system/kubelet.service";
    public static final String KUBEADM_DROP_IN = "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf";
    public static final String CONTAINERD_UNIT = "/etc/systemd/system/containerd.service";

    private SystemdUnits() {
    }

    public static String kubelet(String binDir) {
        return """
                [Unit]
                Description=kubelet: The Kubernetes Node Agent
                Documentation=https://kubernetes.io/docs/
                Wants=network-online.target
                After=network-online.target containerd.service

                [Service]
                ExecStart=%s/kubelet
                Restart=always
                StartLimitInterval=0
                RestartSec=10

                [Install]
                WantedBy=multi-user.target
                """.formatted(binDir);
    }

    /** kubeadm writes /var/lib/kubelet/config.yaml and kubeadm-flags.env; the kubeconfigs come from init or join. */
    public static String kubeadmDropIn(String binDir) {
        return """
                # Written by Kubestead for kubeadm-managed kubelets (same as the kubeadm package's drop-in).
                [Service]
                Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
                Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
                EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
                EnvironmentFile=-/etc/default/kubelet
                ExecStart=
                ExecStart=%s/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
                """.formatted(binDir);
    }

    public static String containerd(String binDir) {
        return """
                [Unit]
                Description=containerd container runtime
                Documentation=https://containerd.io
                After=network.target local-fs.target

                [Service]
                ExecStartPre=-/sbin/modprobe overlay
                ExecStart=%s/containerd
                Type=notify
                Delegate=yes
                KillMode=process
                Restart=always
                RestartSec=5
                LimitNPROC=infinity
                LimitCORE=infinity
                LimitNOFILE=infinity
                TasksMax=infinity
                OOMScoreAdjust=-999

                [Install]
                WantedBy=multi-user.target
                """.formatted(binDir);
    }
}
