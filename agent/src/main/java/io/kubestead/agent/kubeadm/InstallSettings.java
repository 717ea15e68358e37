package io.kubestead.agent.kubeadm;

import io.kubestead.agent.spec.InstallSpec;
import io.kubestead.agent.spec.LoadBalancer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Maps the install spec to kubeadm's settings: the one place that decides what goes into kubeadm's config. */
public final class InstallSettings {
    private InstallSettings() {
    }

    public static ClusterSettings cluster(InstallSpec spec) {
        List<String> sans = new ArrayList<>();
        sans.add(spec.apiName());
        spec.loadBalancer().externalAddress().ifPresent(a -> sans.add(a.host()));
        spec.loadBalancer().vipAddress().ifPresent(sans::add);
        if (spec.loadBalancer().mode() == LoadBalancer.Mode.INTERNAL) {
            sans.add("127.0.0.1"); // the local balancer's health checks and clients that dial it by address
        }
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
