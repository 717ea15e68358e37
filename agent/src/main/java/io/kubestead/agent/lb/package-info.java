/**
 * HA load balancing for the Kubernetes API. {@link io.kubestead.agent.lb.LbSettings} holds the cluster-wide choice
 * (external balancer, internal HAProxy on every node, keepalived VIP, or none) with the controlPlaneEndpoint, the
 * extra certificate SANs and the /etc/hosts entries for the stable API name. Renderers produce text
 * ({@link io.kubestead.agent.lb.HaproxyConfig}, {@link io.kubestead.agent.lb.HaproxyManifest},
 * {@link io.kubestead.agent.lb.KeepalivedConfig}, {@link io.kubestead.agent.lb.HostsBlock});
 * {@link io.kubestead.agent.lb.NodeBalancer} writes one node's files through its
 * {@link io.kubestead.agent.host.Host}, {@link io.kubestead.agent.lb.Reconciler} does it for every node when the
 * masters change, {@link io.kubestead.agent.lb.BootstrapBalancer} runs HAProxy before kubelet does, and
 * {@link io.kubestead.agent.lb.ExternalBalancerCheck} proves a user's balancer reaches this master.
 * {@link io.kubestead.agent.lb.QuorumAdvice} warns about master counts. No picocli here.
 */
package io.kubestead.agent.lb;
