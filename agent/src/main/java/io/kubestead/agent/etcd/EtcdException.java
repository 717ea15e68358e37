package io.kubestead.agent.etcd;

/** An etcd call failed: an error from etcd (message as etcd wrote it) or no endpoint answered. */
public class EtcdException extends RuntimeException {
    public EtcdException(String message) {
        super(message);
    }

    public EtcdException(String message, Throwable cause) {
        super(message, cause);
    }

    /** etcd refuses a second learner (3.4 allows one by default). */
    public boolean tooManyLearners() {
        return getMessage().contains("too many learner members");
    }

    /**
     * etcd refuses a membership change until every started member has been connected for a few seconds (its
     * strict reconfiguration check): right after another member joined or was promoted. Waiting is enough.
     */
    public boolean unhealthyCluster() {
        return getMessage().contains("etcdserver: unhealthy cluster");
    }

    /** The learner has not caught up with the leader yet; kubeadm retries this. */
    public boolean learnerNotInSync() {
        return getMessage().contains("can only promote a learner member which is in sync with leader");
    }
}
