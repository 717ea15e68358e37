package io.kubestead.agent.reset;

import io.kubestead.agent.preflight.PreflightException;

/** Reset stops before changing anything because leaving would harm the cluster; {@code force} overrides. */
public final class ResetRefused extends PreflightException {
    public ResetRefused(String message) {
        super(message);
    }
}
