package io.kubestead.agent.join;

import java.time.Duration;

/**
 * Timeouts of the control-plane join gate.
 *
 * @param lockTtl how long a joiner's lock lives without renewal (a crashed joiner blocks others this long)
 * @param lockTimeout how long to wait for another joiner to finish
 * @param learnerTimeout how long to wait for a pending etcd learner (someone else's join) to be promoted
 * @param healthTimeout how long etcd may stay unhealthy before the join is refused
 * @param promotionTimeout how long after the join action our own member may take to become a healthy voter
 * @param poll first wait between checks; lock retries back off from here up to {@code maxBackoff}
 */
public record JoinGateSettings(Duration lockTtl, Duration lockTimeout, Duration learnerTimeout, Duration healthTimeout,
        Duration promotionTimeout, Duration poll, Duration maxBackoff) {
    /** Production values: kubeadm's own etcd calls retry for 2 minutes; a full CP join takes a few minutes. */
    public static JoinGateSettings defaults() {
        return new JoinGateSettings(Duration.ofSeconds(60), Duration.ofMinutes(20), Duration.ofMinutes(5),
                Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofSeconds(2), Duration.ofSeconds(15));
    }
}
