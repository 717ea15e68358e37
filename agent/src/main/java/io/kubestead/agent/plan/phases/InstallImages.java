package io.kubestead.agent.plan.phases;

import io.kubestead.agent.cni.FlannelManifest;
import io.kubestead.agent.hostsetup.ContainerdConfig;
import io.kubestead.agent.lb.LbSettings;
import io.kubestead.agent.version.KubernetesVersion;
import java.util.List;

/**
 * The container images an install or join at a Kubernetes version names itself, in one list so an air-gap bundle can
 * be checked against it: the control-plane images kubeadm runs at exactly that version (the agent sets
 * kubernetesVersion and imageRepository), the pause image containerd is configured with, Flannel's two images and
 * the internal balancer's HAProxy. etcd and CoreDNS are not here: kubeadm picks their tags itself, per release.
 */
public final class InstallImages {
    private InstallImages() {
    }

    public static List<String> named(KubernetesVersion v) {
        String repo = InstallPlan.IMAGE_REPOSITORY;
        return List.of(
                repo + "/kube-apiserver:" + v.tag(),
                repo + "/kube-controller-manager:" + v.tag(),
                repo + "/kube-scheduler:" + v.tag(),
                repo + "/kube-proxy:" + v.tag(),
                ContainerdConfig.pauseImage(repo, v),
                FlannelManifest.FLANNEL_IMAGE,
                FlannelManifest.CNI_PLUGIN_IMAGE,
                LbSettings.DEFAULT_HAPROXY_IMAGE);
    }
}
