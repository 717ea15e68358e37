package io.kubestead.agent.status;

import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.EtcdEndpointStatus;
import io.kubestead.agent.etcd.EtcdException;
import io.kubestead.agent.etcd.EtcdMember;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The member list, then each member asked on its own client URLs for its health and status. */
public final class EtcdReader {
    private EtcdReader() {
    }

    public static EtcdStatus read(EtcdClient etcd) {
        List<EtcdMember> members;
        try {
            members = etcd.members();
        } catch (EtcdException e) {
            return EtcdStatus.unreachable(e.getMessage());
        }
        List<EtcdMemberStatus> out = new ArrayList<>();
        for (EtcdMember m : members) {
            out.add(member(etcd, m));
        }
        return new EtcdStatus(Optional.empty(), out);
    }

    private static EtcdMemberStatus member(EtcdClient etcd, EtcdMember m) {
        if (!m.started()) {
            return new EtcdMemberStatus(m.idHex(), m.name(), m.peerUrls(), m.clientUrls(), m.learner(), false, false, 0, "",
                    Optional.of("added but not started"));
        }
        String error = "no client URL answered";
        for (String url : m.clientUrls()) {
            URI endpoint = URI.create(url);
            try {
                EtcdEndpointStatus s = etcd.status(endpoint);
                boolean healthy = etcd.health(endpoint);
                return new EtcdMemberStatus(m.idHex(), m.name(), m.peerUrls(), m.clientUrls(), m.learner(), healthy,
                        s.isLeader(), s.dbSizeBytes(), s.version(),
                        healthy ? Optional.empty() : Optional.of(s.leaderId() == 0 ? "no leader" : "health check failed"));
            } catch (EtcdException | IllegalArgumentException e) {
                error = e.getMessage();
            }
        }
        return new EtcdMemberStatus(m.idHex(), m.name(), m.peerUrls(), m.clientUrls(), m.learner(), false, false, 0, "",
                Optional.of(error));
    }
}
