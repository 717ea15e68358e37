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

    /** The learner has not caught up with the leader yet; kubeadm retries this. */
    public boolean learnerNotInSync() {
        return getMessage().contains("can only promote a learner member which is in sync with leader");
    }
}
