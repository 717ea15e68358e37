package io.kubestead.agent.plan.phases;

import io.kubestead.agent.join.ControlPlaneAccess;
import io.kubestead.agent.join.JoinGateSettings;
import java.time.Clock;

/**
 * How a joining master reaches the cluster for the control-plane join gate, and the gate's timeouts. The product
 * uses {@link #real()}; tests connect to loopback stand-ins with short timeouts.
 */
public record ControlPlaneGateSetup(ControlPlaneAccess.Connector connector, JoinGateSettings settings, Clock clock) {
    public static ControlPlaneGateSetup real() {
        return new ControlPlaneGateSetup(ControlPlaneAccess.Connector.real(), JoinGateSettings.defaults(), Clock.systemUTC());
    }
}
