package io.kubestead.agent.lb;

import io.kubestead.agent.spec.InstallSpec;
import io.kubestead.agent.spec.InstallSpecParser;
import io.kubestead.agent.spec.Prompter;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The install words parsed by spec and turned into LbSettings agree on the endpoint and the hosts entry. */
class InstallSpecAgreementTest {

    @Test
    void everyModeAgreesWithTheInstallSpec() {
        for (List<String> words : List.of(List.of("ha", "yes"), List.of("ha", "internal-load-balancer-port=7443"),
                List.of("ha", "load-balancer-address=10.0.0.10:8443"), List.of("ha", "load-balancer-address=lb.corp.example"),
                List.of("ha", "load-balancer-address=[fd00::10]:443"), List.of("vip=10.0.0.100", "cluster-name=prod"),
                List.of("cluster-name=solo"))) {
            InstallSpec spec = new InstallSpecParser("node-1", "10.0.0.5", Path.of("/"), Prompter.NONE).parse(words);
            LbSettings s = LbSettings.forInstall(spec, Optional.of("eth0"));
            assertEquals(spec.controlPlaneEndpoint().toString(), s.controlPlaneEndpoint(), words.toString());
            Map<String, String> hosts = s.hostsEntries(List.of(new Master("node-1", spec.privateAddress())));
            assertEquals(spec.apiNameTarget() == null ? Map.of() : Map.of(spec.apiName(), spec.apiNameTarget()), hosts,
                    words.toString());
            assertTrue(s.certificateSans().contains(spec.apiName()), words.toString());
        }
    }
}
