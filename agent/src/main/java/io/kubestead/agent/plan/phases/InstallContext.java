package io.kubestead.agent.plan.phases;

import io.kubestead.agent.host.HostFacts;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * What the plan factories need from outside the words: facts of this machine, where the agent was unpacked,
 * randomness for secrets, where install.sh is served (for printed join commands) and the user behind sudo.
 */
public record InstallContext(HostFacts facts, Optional<Path> agentHome, SecureRandom random, Optional<String> baseUrl,
                             Optional<String> sudoUser, java.time.Duration balancerCheckPatience) {
}
