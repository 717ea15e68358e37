package io.kubestead.agent.kubeadm;

import io.kubestead.agent.spec.InstallSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Maps the install spec to kubeadm's settings: the one place that decides what goes into kubeadm's config. */
public final class InstallSettings {
    private InstallSettings() {
    }

    public static ClusterSettings cluster(InstallSpec spec) {
        List<String> sans = new ArrayList<>(spec.loadBalancer().certificateSans(spec.apiName()));
        sans.addAll(spec.certSans());
        boolean v1beta4 = spec.kubernetesVersion().atLeast(31);
        return new ClusterSettings(spec.kubernetesVersion(), spec.clusterName(), spec.controlPlaneEndpoint().toString(),
                sans.stream().distinct().toList(), spec.podCidr().toString(), spec.serviceCidr().toString(),
                spec.dnsDomain(), null, null, spec.taintControlPlane(),
                v1beta4 ? spec.keyAlgorithm().toUpperCase() : null,
                v1beta4 ? Duration.ofDays(spec.certValidityDays()) : null,
                v1beta4 ? Duration.ofDays(spec.caValidityDays()) : null, null);
    }

    public static NodeSettings node(InstallSpec spec) {
        return new NodeSettings(spec.nodeName(), spec.privateAddress(), spec.publicAddress(),
                NodeSettings.keepsCgroupV1(spec.preflightIgnore(), spec.kubernetesVersion()));
    }
}
