package io.kubestead.agent.kubeadm.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KubeadmCommandLineTest {

    private static KubeadmCommandLine parse(String... argv) {
        return KubeadmCommandLine.parse(List.of(argv));
    }

    private static void assertRejected(KubeadmCommandLine line, String expected) {
        assertTrue(line.errors().stream().anyMatch(e -> e.contains(expected)),
                "expected an error containing '" + expected + "' but got " + line.errors());
    }

    @Test
    void acceptsTheDocumentedFormsTheAgentUses() {
        for (List<String> argv : List.of(
                List.of("kubeadm", "init", "--config", "/f", "--upload-certs"),
                List.of("/usr/bin/kubeadm", "init", "--config=/f", "--skip-phases=addon/kube-proxy", "-v", "5"),
                List.of("kubeadm", "join", "--config", "/f", "--ignore-preflight-errors", "Swap"),
                List.of("kubeadm", "init", "phase", "upload-certs", "--upload-certs", "--config", "/f"),
                List.of("kubeadm", "token", "create", "abcdef.0123456789abcdef", "--ttl", "2h0m0s", "--kubeconfig", "/a"),
                List.of("kubeadm", "reset", "--force"),
                List.of("kubeadm", "reset", "-f"),
                List.of("kubeadm", "config", "images", "pull", "--config", "/f"),
                List.of("kubeadm", "version", "-o", "short"))) {
            KubeadmCommandLine line = KubeadmCommandLine.parse(argv);
            assertEquals(List.of(), line.errors(), argv.toString());
        }
        KubeadmCommandLine upload = parse("kubeadm", "init", "phase", "upload-certs", "--upload-certs", "--config", "/f");
        assertEquals("init phase upload-certs", upload.command());
        assertEquals("/f", upload.value("config"));
        assertTrue(upload.has("upload-certs"));
    }

    @Test
    void rejectsCertificateKeyFlagMixedWithConfig() {
        assertRejected(parse("kubeadm", "init", "--config", "/f", "--upload-certs", "--certificate-key", "ab"),
                "can not mix '--config' with arguments [certificate-key]");
    }

    @Test
    void rejectsControlPlaneAndTokenFlagsMixedWithConfigOnJoin() {
        assertRejected(parse("kubeadm", "join", "--config", "/f", "--control-plane", "--token", "x"),
                "can not mix '--config' with arguments [control-plane, token]");
    }

    @Test
    void rejectsPodCidrMixedWithConfigOnInit() {
        assertRejected(parse("kubeadm", "init", "--config=/f", "--pod-network-cidr=10.244.0.0/16"),
                "can not mix '--config' with arguments [pod-network-cidr]");
    }

    @Test
    void rejectsUndocumentedFlagsAndCommands() {
        assertRejected(parse("kubeadm", "init", "--control-plane"), "unknown flag: --control-plane");
        assertRejected(parse("kubeadm", "join", "--upload-certs"), "unknown flag: --upload-certs");
        assertRejected(parse("kubeadm", "reset", "-y"), "unknown shorthand flag: -y");
        assertRejected(parse("kubeadm", "init", "phase", "upload-cert"), "unknown command");
        assertRejected(parse("kubeadm", "join", "--config"), "flag needs an argument: --config");
        assertRejected(parse("kubeadm", "init", "--upload-certs=yes"), "invalid argument \"yes\"");
        assertRejected(parse("kubeadm", "join", "10.0.0.10:6443", "10.0.0.11:6443"), "takes at most 1 argument");
        assertRejected(parse("kubeadm", "init", "10.0.0.10:6443"), "unknown command \"10.0.0.10:6443\" for \"kubeadm init\"");
    }
}
