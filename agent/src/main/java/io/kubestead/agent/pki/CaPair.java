package io.kubestead.agent.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A CA certificate and its private key: what signs leaves. */
public record CaPair(CaKind kind, X509Certificate cert, PrivateKey key) {
}
