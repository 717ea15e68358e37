package io.kubestead.agent.nodeadd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.join.JoinCommands;
import io.kubestead.agent.join.JoinSecrets;
import io.kubestead.agent.spec.InstallSpec;
import io.kubestead.agent.spec.InstallSpecParser;
import io.kubestead.agent.spec.Prompter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which files travel and where the bundle comes from, per kind of cluster; no secret among the words. */
class JoinMaterialTest {
    static final List<Path> FILES = List.of(Path.of("kubestead-agent-1.0.0-linux-amd64.tar.gz"), Path.of("SHA256SUMS"));
    final JoinSecrets secrets = JoinSecrets.generate(new SecureRandom(), Instant.parse("2026-11-21T12:00:00Z"), Duration.ofHours(24));

    JoinCommands commands(String baseUrl, String... words) {
        InstallSpec spec = new InstallSpecParser("cp-1", "10.0.0.5", Path.of("/"), Prompter.NONE).parse(List.of(words));
        return new JoinCommands(spec, List.of("10.0.0.5"), secrets, "sha256:" + "ab".repeat(32), baseUrl);
    }

    @Test
    void airGappedOnlyInstallShTravelsAndTheHostFetchesTheBundleFromAMaster() {
        JoinMaterial m = JoinMaterial.of(commands(null, "airgap", "kubernetes-version=1.34.4", "insecure-skip-bundle-signature", "yes"),
                false, Path.of("install.sh"), FILES);
        assertEquals(List.of("airgap", "join"), m.words().subList(0, 2));
        assertTrue(m.words().contains("masters=10.0.0.5"), m.words().toString());
        assertEquals(List.of(), m.bundleFiles());
        assertTrue(m.downloadUrl().isEmpty());
    }

    @Test
    void onlineTheBundleIsCopiedOrElseDownloadedFromWhereInstallShIsServed() {
        JoinMaterial copied = JoinMaterial.of(commands("http://deploy:8080", "yes"), false, Path.of("install.sh"), FILES);
        assertEquals(FILES, copied.bundleFiles());
        assertTrue(copied.downloadUrl().isEmpty());
        JoinMaterial served = JoinMaterial.of(commands("http://deploy:8080", "yes"), false, Path.of("install.sh"), List.of());
        assertEquals("http://deploy:8080", served.downloadUrl().orElseThrow());
        assertEquals("join", served.words().get(0));
    }

    @Test
    void theSecretsAreOnlyInTheSecretsFileAndMaskedInOutput() {
        JoinMaterial m = JoinMaterial.of(commands(null, "ha", "yes"), true, Path.of("install.sh"), FILES);
        String words = String.join(" ", m.words());
        assertFalse(words.contains(secrets.token().value().substring(7)) || words.contains(secrets.certificateKey().value()), words);
        assertEquals("token=" + secrets.token().value() + "\ncert-key=" + secrets.certificateKey().value() + "\n", m.secrets());
        String line = "kubeadm join --token " + secrets.token().value() + " --certificate-key " + secrets.certificateKey().value();
        String masked = NodeAdder.mask(line, m.secretValues());
        assertFalse(masked.contains(secrets.token().value().substring(7)) || masked.contains(secrets.certificateKey().value()), masked);
        assertFalse(m.toString().contains(secrets.token().value()), m.toString());
    }
}
