package io.kubestead.installer.airgap;

import io.kubestead.installer.bundle.TrustJar;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether the agent bundle packed into an air-gap bundle trusts the key that signs it. If not, hosts can install
 * the air-gap bundle only with the word bundle-public-key=FILE, which is worth one warning at build time.
 */
public final class AgentTrust {
    private AgentTrust() {
    }

    /** A one-line warning when the staged agent bundle does not trust {@code signingPublicKeyPem}; else empty. */
    public static Optional<String> warning(StagedBundle staged, byte[] signingPublicKeyPem) {
        Path agent;
        try {
            agent = StagingBuilder.agentFiles(staged.dir().resolve("agent"), staged.arch()).get(0);
        } catch (IOException | RuntimeException e) {
            return Optional.of("no agent bundle found in " + staged.dir().resolve("agent") + " to check its trusted key");
        }
        String fix = ": hosts will need the word bundle-public-key=FILE (the signing key's .pub); to build the key in,"
                + " rebuild the agent with " + TrustJar.ENV + "=FILE mvn package";
        Optional<byte[]> builtIn;
        try {
            builtIn = TrustJar.trustedKeyOf(agent);
        } catch (IOException e) {
            return Optional.of("cannot read " + agent.getFileName() + " to check its trusted key (" + e.getMessage() + ")" + fix);
        }
        if (builtIn.isEmpty()) {
            return Optional.of("the agent bundle " + agent.getFileName() + " has no built-in trusted key" + fix);
        }
        if (!TrustJar.sameKey(builtIn.get(), signingPublicKeyPem)) {
            return Optional.of("the agent bundle " + agent.getFileName() + " trusts another key than --signing-key" + fix);
        }
        return Optional.empty();
    }
}
