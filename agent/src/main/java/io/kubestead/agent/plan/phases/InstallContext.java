package io.kubestead.agent.plan.phases;

import io.kubestead.agent.host.HostFacts;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * What the plan factories need from outside the words: facts of this machine, where the agent was unpacked,
 * randomness for secrets, where install.sh is served (for printed join commands), the user behind sudo, and how a
 * joining master reaches the cluster for the control-plane join gate.
 */
public record InstallContext(HostFacts facts, Optional<Path> agentHome, SecureRandom random, Optional<String> baseUrl,
                             Optional<String> sudoUser, java.time.Duration balancerCheckPatience,
                             ControlPlaneGateSetup controlPlaneGate, Optional<Path> airgapArchive) {
    public InstallContext(HostFacts facts, Optional<Path> agentHome, SecureRandom random, Optional<String> baseUrl,
                          Optional<String> sudoUser, java.time.Duration balancerCheckPatience,
                          ControlPlaneGateSetup controlPlaneGate) {
        this(facts, agentHome, random, baseUrl, sudoUser, balancerCheckPatience, controlPlaneGate, Optional.empty());
    }

    /** With the real control-plane join gate (it connects to the cluster only when a master joins). */
    public InstallContext(HostFacts facts, Optional<Path> agentHome, SecureRandom random, Optional<String> baseUrl,
                          Optional<String> sudoUser, java.time.Duration balancerCheckPatience) {
        this(facts, agentHome, random, baseUrl, sudoUser, balancerCheckPatience, ControlPlaneGateSetup.real());
    }
}
