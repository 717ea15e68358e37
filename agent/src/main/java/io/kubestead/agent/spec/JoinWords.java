package io.kubestead.agent.spec;

import java.util.List;

/** The words {@code kubestead join} takes; the join scripts a master prints carry all of them. */
public final class JoinWords {
    private JoinWords() {
    }

    public static final List<WordDef> ALL = List.of(
            WordDef.flag("control-plane", "join as a master (needs cert-key)"),
            WordDef.value("endpoint", "HOST:PORT", "the cluster's API endpoint (its controlPlaneEndpoint)"),
            WordDef.value("endpoint-address", "IP", "what the endpoint's name resolves to on this node, through /etc/hosts"),
            WordDef.value("load-balancer", "MODE", "none, external, internal or vip: how this node reaches the API servers"),
            WordDef.value("masters", "IP,...", "the masters' addresses (backends of the internal load balancer)"),
            WordDef.value("internal-load-balancer-port", "PORT", "loopback port of the internal load balancer (default 6444)"),
            WordDef.value("token", "TOKEN", "bootstrap token (from 'kubestead join-script')"),
            WordDef.value("ca-hash", "sha256:HEX", "hash of the cluster CA's public key, to trust the API server"),
            WordDef.value("cert-key", "HEX", "key of the uploaded control-plane certificates (masters only)"),
            WordDef.value(SecretsFile.WORD, "FILE", "token= and cert-key= lines in a file only its owner reads (node add sends them so)"),
            WordDef.value("kubernetes-version", "1.N.P", "the cluster's Kubernetes version (with airgap: the bundle's by default)"),
            WordDef.value("cluster-name", "NAME", "the cluster's name (default kubernetes)"),
            WordDef.value("node-name", "NAME", "this node's name (default: the host name, lower-cased)"),
            WordDef.value("private-address", "IP", "address the cluster uses to reach this node"),
            WordDef.flag("taint-control-plane", "keep workloads off this master"),
            WordDef.flag("airgap", "install from the air-gap bundle; no network access"),
            BundleTrust.KEY_WORD,
            BundleTrust.SKIP_WORD,
            WordDef.value("bundle-server-port", "PORT", "port of the masters' air-gap bundle server (default 6446)"),
            WordDef.value("preflight-ignore", "CHECK,...", "skip the named preflight checks"),
            WordDef.value("expires", "TIME", "when the token or key expires (informational, from the join script)"),
            WordDef.flag("yes", "answer yes to every question; no prompts"),
            WordDef.optionalValue("dry-run", "DIR", "write everything under DIR instead of the host; needs no root"));
}
