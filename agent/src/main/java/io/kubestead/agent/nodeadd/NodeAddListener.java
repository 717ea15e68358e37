package io.kubestead.agent.nodeadd;

import io.kubestead.agent.ssh.SshTarget;

/**
 * Progress of a {@code node add}, called from the hosts' threads (several at once for workers): each line a host
 * printed or that was said about it (secrets already masked), and each host's end.
 */
public interface NodeAddListener {
    void line(SshTarget host, String line);

    default void finished(HostResult result) {
    }
}
