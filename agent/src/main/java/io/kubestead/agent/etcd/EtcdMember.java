package io.kubestead.agent.etcd;

import java.util.List;

/**
 * One etcd member as the cluster API reports it. {@code id} holds etcd's uint64 bit pattern (use
 * {@link #idString()} to print it). A member that was added but has not started yet has an empty name and no
 * client URLs.
 */
public record EtcdMember(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {
    public EtcdMember {
        name = name == null ? "" : name;
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }

    /** The id as etcd and etcdctl print it in decimal (unsigned). */
    public String idString() {
        return Long.toUnsignedString(id);
    }

    /** The id as {@code etcdctl member list} prints it (hex). */
    public String idHex() {
        return Long.toHexString(id);
    }

    /** Started members have published their name and client URLs. */
    public boolean started() {
        return !name.isEmpty() && !clientUrls.isEmpty();
    }

    @Override
    public String toString() {
        return label();
    }

    /** A name for messages: the member name, or its peer URL while it has not started. */
    public String label() {
        String who = started() ? name : "unstarted member " + String.join(",", peerUrls);
        return who + " (id " + idHex() + (learner ? ", learner" : "") + ")";
    }
}
