package io.kubestead.agent.console;

/** Where the Cluster page's data comes from: one fresh look at the cluster per call. */
@FunctionalInterface
public interface ClusterSource {
    ClusterView look();
}
