package io.kubestead.agent.console;

import java.util.List;

/**
 * What the Cluster page shows, as it is sent to the browser (JSON): the nodes, the etcd members, this master's
 * balancer and its backends, the certificate expiries, and any advice. Times are already put in words here, so the
 * page only lays them out.
 *
 * @param problems what could not be asked, one line each (the rest of the page still shows)
 */
public record ClusterView(String collectedAt, String collectedOn, List<Node> nodes, List<EtcdMember> etcd,
                          Balancer balancer, List<Certificate> certificates, List<String> advice, List<String> problems) {
    public ClusterView {
        nodes = List.copyOf(nodes);
        etcd = List.copyOf(etcd);
        certificates = List.copyOf(certificates);
        advice = List.copyOf(advice);
        problems = List.copyOf(problems);
    }

    /** @param status Ready, NotReady or Unknown */
    public record Node(String name, String role, String status, String version, String age, String address) {
    }

    /** @param state healthy, unhealthy or the reason it did not answer */
    public record EtcdMember(String name, String id, boolean learner, boolean leader, String state) {
    }

    public record Balancer(String mode, String endpoint, List<Backend> backends) {
        public Balancer {
            backends = List.copyOf(backends);
        }
    }

    public record Backend(String name, String address, boolean healthy, String detail) {
    }

    /** @param remaining as kubeadm prints it (364d), "missing" or "expired" */
    public record Certificate(String name, String expires, String remaining, String authority, boolean soon) {
    }
}
