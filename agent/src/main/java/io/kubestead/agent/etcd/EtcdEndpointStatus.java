package io.kubestead.agent.etcd;

/**
 * What one member says about itself ({@code etcdctl endpoint status}): its id, the leader it follows (0 when it
 * has none), its database size on disk and in use, its version and whether it is a learner.
 */
public record EtcdEndpointStatus(long memberId, long leaderId, long dbSizeBytes, long dbSizeInUseBytes, String version,
                                 boolean learner) {
    public boolean isLeader() {
        return memberId != 0 && memberId == leaderId;
    }
}
