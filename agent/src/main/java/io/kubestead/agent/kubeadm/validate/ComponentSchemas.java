package io.kubestead.agent.kubeadm.validate;

import static io.kubestead.agent.kubeadm.validate.Shape.Scalar.ANY;
import static io.kubestead.agent.kubeadm.validate.Shape.Scalar.BOOL;
import static io.kubestead.agent.kubeadm.validate.Shape.Scalar.STRING;
import static io.kubestead.agent.kubeadm.validate.Shape.obj;

import java.util.ArrayList;
import java.util.List;

/**
 * Top-level fields of the component configurations kubeadm passes through: KubeletConfiguration
 * (kubelet.config.k8s.io/v1beta1) and KubeProxyConfiguration (kubeproxy.config.k8s.io/v1alpha1). Fields we write
 * are typed; the rest are known names of any type, enough to catch a misspelt or misplaced field.
 */
final class ComponentSchemas {
    private static final List<String> KUBELET_FIELDS = List.of("enableServer", "staticPodPath", "podLogsDir",
            "syncFrequency", "fileCheckFrequency", "httpCheckFrequency", "staticPodURL", "staticPodURLHeader",
            "address", "port", "readOnlyPort", "tlsCertFile", "tlsPrivateKeyFile", "tlsCipherSuites", "tlsMinVersion",
            "serverTLSBootstrap", "authentication", "authorization", "registryPullQPS", "registryBurst",
            "imagePullCredentialsVerificationPolicy", "preloadedImagesVerificationAllowlist", "eventRecordQPS",
            "eventBurst", "enableDebuggingHandlers", "enableContentionProfiling", "healthzPort", "healthzBindAddress",
            "oomScoreAdj", "clusterDomain", "clusterDNS", "streamingConnectionIdleTimeout",
            "nodeStatusUpdateFrequency", "nodeStatusReportFrequency", "nodeLeaseDurationSeconds",
            "imageMinimumGCAge", "imageMaximumGCAge", "imageGCHighThresholdPercent", "imageGCLowThresholdPercent",
            "volumeStatsAggPeriod", "kubeletCgroups", "systemCgroups", "cgroupRoot", "cgroupsPerQOS",
            "cpuManagerPolicy", "cpuManagerPolicyOptions", "cpuManagerReconcilePeriod", "singleProcessOOMKill",
            "memoryManagerPolicy", "topologyManagerPolicy", "topologyManagerScope", "topologyManagerPolicyOptions",
            "qosReserved", "runtimeRequestTimeout", "hairpinMode", "maxPods", "podCIDR", "podPidsLimit",
            "resolvConf", "runOnce", "cpuCFSQuota", "cpuCFSQuotaPeriod", "nodeStatusMaxImages", "maxOpenFiles",
            "contentType", "kubeAPIQPS", "kubeAPIBurst", "serializeImagePulls", "maxParallelImagePulls",
            "evictionHard", "evictionSoft", "evictionSoftGracePeriod", "evictionPressureTransitionPeriod",
            "evictionMaxPodGracePeriod", "evictionMinimumReclaim", "mergeDefaultEvictionSettings", "podsPerCore",
            "enableControllerAttachDetach", "protectKernelDefaults", "makeIPTablesUtilChains", "iptablesMasqueradeBit",
            "iptablesDropBit", "featureGates", "failSwapOn", "memorySwap", "containerLogMaxSize",
            "containerLogMaxFiles", "containerLogMaxWorkers", "containerLogMonitorInterval",
            "configMapAndSecretChangeDetectionStrategy", "systemReserved", "kubeReserved", "reservedSystemCPUs",
            "showHiddenMetricsForVersion", "systemReservedCgroup", "kubeReservedCgroup", "enforceNodeAllocatable",
            "allowedUnsafeSysctls", "volumePluginDir", "providerID", "kernelMemcgNotification", "logging",
            "enableSystemLogHandler", "enableSystemLogQuery", "shutdownGracePeriod", "shutdownGracePeriodCriticalPods",
            "shutdownGracePeriodByPodPriority", "crashLoopBackOff", "reservedMemory", "enableProfilingHandler",
            "enableDebugFlagsHandler", "seccompDefault", "memoryThrottlingFactor", "registerWithTaints",
            "registerNode", "tracing", "localStorageCapacityIsolation", "containerRuntimeEndpoint",
            "imageServiceEndpoint", "failCgroupV1", "userNamespaces");
    private static final List<String> KUBE_PROXY_FIELDS = List.of("featureGates", "clientConnection",
            "hostnameOverride", "bindAddress", "healthzBindAddress", "metricsBindAddress", "bindAddressHardFail",
            "enableProfiling", "showHiddenMetricsForVersion", "iptables", "ipvs", "nftables", "winkernel",
            "detectLocalMode", "detectLocal", "nodePortAddresses", "oomScoreAdj", "conntrack", "configSyncPeriod",
            "portRange", "logging", "windowsRunAsService", "syncPeriod", "minSyncPeriod");

    private ComponentSchemas() {
    }

    static Shape kubelet() {
        return withAny(obj("!apiVersion", STRING, "!kind", STRING, "cgroupDriver", STRING,
                "rotateCertificates", BOOL), KUBELET_FIELDS);
    }

    static Shape kubeProxy() {
        return withAny(obj("!apiVersion", STRING, "!kind", STRING, "mode", STRING, "clusterCIDR", STRING),
                KUBE_PROXY_FIELDS);
    }

    private static Shape withAny(Shape.Obj base, List<String> names) {
        List<Object> pairs = new ArrayList<>();
        for (String n : names) {
            pairs.add(n);
            pairs.add(ANY);
        }
        return base.plus(pairs.toArray());
    }
}
