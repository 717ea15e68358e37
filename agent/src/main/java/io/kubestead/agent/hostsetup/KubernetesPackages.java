package io.kubestead.agent.hostsetup;

import io.kubestead.agent.host.Command;
import io.kubestead.agent.version.KubernetesVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * How to install kubelet, kubeadm and kubectl of one exact version online from the community repositories at
 * pkgs.k8s.io (one repository per minor version), and hold them so routine OS updates never upgrade Kubernetes.
 */
public final class KubernetesPackages {
    public static final String APT_KEYRING = "/etc/apt/keyrings/kubernetes-apt-keyring.gpg";
    public static final String APT_SOURCE = "/etc/apt/sources.list.d/kubernetes.list";
    public static final String RPM_REPO = "/etc/yum.repos.d/kubernetes.repo";

    private final KubernetesVersion version;

    public KubernetesPackages(KubernetesVersion version) {
        this.version = version;
    }

    private String base() {
        return "https://pkgs.k8s.io/core:/stable:/v" + version.major() + "." + version.minor();
    }

    public String aptSource() {
        return "deb [signed-by=" + APT_KEYRING + "] " + base() + "/deb/ /\n";
    }

    public String rpmRepo() {
        return """
                [kubernetes]
                name=Kubernetes v%1$d.%2$d
                baseurl=%3$s/rpm/
                enabled=1
                gpgcheck=1
                gpgkey=%3$s/rpm/repodata/repomd.xml.key
                exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni
                """.formatted(version.major(), version.minor(), base());
    }

    /** Commands, in order, after the repository file is written. */
    public List<Command> installCommands(PackageManager pm) {
        List<Command> cmds = new ArrayList<>();
        String v = version.toString();
        switch (pm) {
            case APT -> {
                cmds.add(Command.of("curl", "-fsSL", "--retry", "3", "-o", "/etc/apt/keyrings/kubernetes-apt-keyring.asc",
                        base() + "/deb/Release.key"));
                cmds.add(Command.of("gpg", "--batch", "--yes", "--dearmor", "-o", APT_KEYRING,
                        "/etc/apt/keyrings/kubernetes-apt-keyring.asc"));
                cmds.add(Command.of("apt-get", "update", "-q"));
                cmds.add(Command.of("apt-get", "install", "-y", "-q", "--allow-downgrades", "--allow-change-held-packages",
                        "kubelet=" + v + "-1.1", "kubeadm=" + v + "-1.1", "kubectl=" + v + "-1.1", "conntrack", "socat"));
                cmds.add(Command.of("apt-mark", "hold", "kubelet", "kubeadm", "kubectl"));
            }
            case DNF, YUM -> cmds.add(Command.of(pm == PackageManager.DNF ? "dnf" : "yum", "install", "-y",
                    "kubelet-" + v, "kubeadm-" + v, "kubectl-" + v, "conntrack-tools", "socat",
                    "--disableexcludes=kubernetes"));
        }
        cmds.add(Command.of("systemctl", "enable", "kubelet"));
        return cmds;
    }

    /** containerd from the distribution (apt) or Docker's repository (dnf/yum hosts, where base repos lack it). */
    public static List<Command> containerdCommands(PackageManager pm) {
        return switch (pm) {
            case APT -> List.of(Command.of("apt-get", "update", "-q"),
                    Command.of("apt-get", "install", "-y", "-q", "containerd"));
            case DNF -> List.of(Command.of("dnf", "install", "-y", "dnf-plugins-core"),
                    Command.of("dnf", "config-manager", "--add-repo", "https://download.docker.com/linux/centos/docker-ce.repo"),
                    Command.of("dnf", "install", "-y", "containerd.io"));
            case YUM -> List.of(Command.of("yum", "install", "-y", "yum-utils"),
                    Command.of("yum-config-manager", "--add-repo", "https://download.docker.com/linux/centos/docker-ce.repo"),
                    Command.of("yum", "install", "-y", "containerd.io"));
        };
    }
}
