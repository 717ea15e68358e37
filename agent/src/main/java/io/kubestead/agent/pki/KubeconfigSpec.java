package io.kubestead.agent.pki;

import java.util.List;

/** One kubeconfig under /etc/kubernetes: file name, client identity and the server it talks to. */
public record KubeconfigSpec(String fileName, String commonName, List<String> organizations, String server) {
    public KubeconfigSpec {
        organizations = List.copyOf(organizations);
    }
}
