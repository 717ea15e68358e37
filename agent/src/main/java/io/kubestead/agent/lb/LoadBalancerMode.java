package io.kubestead.agent.lb;

/** How clients on every node reach the Kubernetes API. */
public enum LoadBalancerMode {
    /** The user's TCP balancer ({@code load-balancer-address=HOST:PORT}) forwards to every master's 6443. */
    EXTERNAL,
    /** {@code ha} without an address: HAProxy on every node on a loopback port. */
    INTERNAL,
    /** {@code vip=IP}: keepalived moves a virtual IP among the masters; clients hit the holder's 6443. */
    VIP,
    /** One master, no balancer: the stable name points at it, so turning on HA later needs no new certificates. */
    NONE
}
