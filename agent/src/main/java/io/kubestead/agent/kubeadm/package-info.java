/**
 * kubeadm configuration and command lines. {@link io.kubestead.agent.kubeadm.KubeadmConfigRenderer} turns plain
 * inputs ({@link io.kubestead.agent.kubeadm.InitConfigInput}, {@link io.kubestead.agent.kubeadm.JoinConfigInput})
 * into the kubeadm YAML of the Kubernetes version's API (v1beta3 up to 1.30, v1beta4 from 1.31);
 * {@link io.kubestead.agent.kubeadm.Kubeadm} is the boundary to the kubeadm program, implemented over a
 * {@link io.kubestead.agent.host.Host} by {@link io.kubestead.agent.kubeadm.HostKubeadm}. The {@code validate}
 * sub-package checks configuration files and command lines against kubeadm's documented API.
 */
package io.kubestead.agent.kubeadm;
