package io.kubestead.agent.spec;

import java.util.List;

/**
 * The ports Kubernetes' own components listen on: the API server, etcd client and peer, kubelet, controller-manager
 * and scheduler on a master; kubelet on a worker. Preflight checks they are free; our own ports must avoid them.
 */
public final class NodePorts {
    public static final List<Integer> MASTER = List.of(6443, 2379, 2380, 10250, 10257, 10259);
    public static final List<Integer> WORKER = List.of(10250);

    private NodePorts() {
    }
}
