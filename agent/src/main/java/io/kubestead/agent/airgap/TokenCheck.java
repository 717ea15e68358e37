package io.kubestead.agent.airgap;

/** Whether a bootstrap token ({@code id.secret}) is valid in the cluster right now. */
@FunctionalInterface
public interface TokenCheck {
    boolean valid(String token);
}
