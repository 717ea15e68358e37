/**
 * HA load balancing for the Kubernetes API. {@link io.kubestead.agent.lb.LbSettings} holds the cluster-wide choice
 * (external balancer, internal HAProxy on every node, keepalived VIP, or none) with the controlPlaneEndpoint, the
 * extra certificate SANs and the /etc/hosts entries for the stable API name. Renderers produce text
 * ({@link io.kubestead.agent.lb.HaproxyConfig}, {@link io.kubestead.agent.lb.HaproxyManifest},
 * {@link io.kubestead.agent.lb.KeepalivedConfig}, {@link io.kubestead.agent.lb.HostsBlock});
 * {@link io.kubestead.agent.lb.NodeBalancer} writes one node's files through its
 * {@link io.kubestead.agent.host.Host} (at install and join, and from {@code kubestead lb-sync} on each node when the
 * masters change), {@link io.kubestead.agent.lb.BootstrapBalancer} runs HAProxy before kubelet does, and
 * {@link io.kubestead.agent.lb.ExternalBalancerCheck} proves a user's balancer reaches this master.
 * {@link io.kubestead.agent.lb.QuorumAdvice} warns about master counts. No picocli here.
 *
 * <p>Order in the install and join plans (INTERNAL; other modes skip the bootstrap steps):
 * <ol>
 * <li>{@code settings = LbSettings.forInstall(spec, Vip.detectInterface(host, vip))}; the endpoint, hosts target and
 *     certificate names come from the spec's {@code LoadBalancer} record, which kubeadm's settings read too.</li>
 * <li>Before kubeadm: {@code new NodeBalancer(settings, LbPaths.standard()).prepare(host, masters, self)} (hosts
 *     block, haproxy.cfg or keepalived.conf; no manifest yet), then {@code BootstrapBalancer.start()}.</li>
 * <li>After kubeadm init/join: {@code BootstrapBalancer.stop()}, then {@code NodeBalancer.apply(...)} writes the
 *     static pod manifest.</li>
 * <li>EXTERNAL, first master: {@code ExternalBalancerCheck.checkUntil(...)} against
 *     /etc/kubernetes/pki/apiserver.crt; print {@code settings.balancerTargets(masters)}.</li>
 * <li>After a master joins or leaves: each node's lb-sync timer runs the {@link io.kubestead.agent.lb.LbSyncUnits}
 *     check, which starts {@code kubestead lb-sync} (masters from the API, {@code NodeBalancer.apply(...)} on its own
 *     files) only when the masters or the files changed.</li>
 * <li>A switch of mode: the new mode's files first, then {@link io.kubestead.agent.lb.BalancerLeftovers} removes what
 *     the old one left.</li>
 * </ol>
 */
package io.kubestead.agent.lb;
