package io.kubestead.agent.pki;

/** The key-usage profile of a certificate, as kubeadm sets it. */
public enum CertUsage {
    CA, SERVER, CLIENT, SERVER_AND_CLIENT
}
