package io.kubestead.agent.status;

import java.util.List;
import java.util.Optional;

/**
 * One etcd member: from the member list, and what it answered itself (health, leader, database size).
 *
 * @param id the member id in hex, as etcdctl prints it
 * @param name the member name (kubeadm names it after the node); empty while an added member has not started
 * @param dbSizeBytes the database size on disk, 0 when the member did not answer
 * @param error why the member did not answer its health or status request
 */
public record EtcdMemberStatus(String id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner,
                               boolean healthy, boolean leader, long dbSizeBytes, String version,
                               Optional<String> error) {
    public EtcdMemberStatus {
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }

    /** The name, or the peer URL of a member that has not started. */
    public String label() {
        return name.isEmpty() ? String.join(",", peerUrls) : name;
    }
}
