package io.kubestead.agent.kubeadm.standin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The documented flags of the kubeadm commands the agent runs (kubeadm reference pages, kubeadm.md 3.5 and 4):
 * name to whether it takes a value. Global flags are allowed everywhere.
 */
final class KubeadmFlags {
    /** A subcommand: its flags, how many positional arguments it takes, whether --config forbids most flags. */
    record Spec(Map<String, Boolean> flags, int maxPositionals, boolean configMixingRule) {
    }

    /** The flags kubeadm allows next to --config (ValidateMixedArguments), besides any skip-*. */
    static final Set<String> ALLOWED_WITH_CONFIG = Set.of("config", "ignore-preflight-errors", "dry-run",
            "kubeconfig", "node-name", "kubeconfig-dir", "upload-certs", "print-join-command", "rootfs", "v",
            "log-file");

    private static final Map<String, Boolean> GLOBAL = flags("add-dir-header", "log-file=", "log-file-max-size=",
            "one-output", "rootfs=", "skip-headers", "skip-log-headers", "v=", "help");

    static final Map<String, Spec> COMMANDS = Map.ofEntries(
            Map.entry("init phase upload-config kubeadm", new Spec(flags("config=", "dry-run", "kubeconfig="), 0, true)),
            Map.entry("init phase bootstrap-token", new Spec(flags("config=", "dry-run", "kubeconfig=",
                    "skip-token-print"), 0, true)),
            Map.entry("init phase addon kube-proxy", new Spec(flags("apiserver-advertise-address=",
                    "apiserver-bind-port=", "config=", "control-plane-endpoint=", "dry-run", "feature-gates=",
                    "image-repository=", "kubeconfig=", "kubernetes-version=", "pod-network-cidr=", "print-manifest"),
                    0, true)),
            Map.entry("init", new Spec(flags("apiserver-advertise-address=", "apiserver-bind-port=",
                    "apiserver-cert-extra-sans=", "cert-dir=", "certificate-key=", "config=", "control-plane-endpoint=",
                    "cri-socket=", "dry-run", "feature-gates=", "ignore-preflight-errors=", "image-repository=",
                    "kubernetes-version=", "node-name=", "patches=", "pod-network-cidr=", "service-cidr=",
                    "service-dns-domain=", "skip-certificate-key-print", "skip-phases=", "skip-token-print", "token=",
                    "token-ttl=", "upload-certs"), 0, true)),
            Map.entry("init phase upload-certs", new Spec(flags("certificate-key=", "config=", "dry-run", "kubeconfig=",
                    "skip-certificate-key-print", "upload-certs"), 0, true)),
            Map.entry("join", new Spec(flags("apiserver-advertise-address=", "apiserver-bind-port=", "certificate-key=",
                    "config=", "control-plane", "cri-socket=", "discovery-file=", "discovery-token=",
                    "discovery-token-ca-cert-hash=", "discovery-token-unsafe-skip-ca-verification", "dry-run",
                    "ignore-preflight-errors=", "node-name=", "patches=", "skip-phases=", "tls-bootstrap-token=",
                    "token="), 1, true)),
            Map.entry("token create", new Spec(flags("certificate-key=", "config=", "description=", "groups=",
                    "print-join-command", "ttl=", "usages=", "dry-run", "kubeconfig="), 1, false)),
            Map.entry("reset", new Spec(flags("cert-dir=", "cleanup-tmp-dir", "config=", "cri-socket=", "dry-run", "force",
                    "ignore-preflight-errors=", "kubeconfig=", "skip-phases="), 0, true)),
            Map.entry("config images pull", new Spec(flags("config=", "cri-socket=", "feature-gates=", "image-repository=",
                    "kubernetes-version=", "kubeconfig="), 0, false)),
            Map.entry("version", new Spec(flags("output="), 0, false)),
            Map.entry("certs certificate-key", new Spec(flags(), 0, false)));

    /** Single-letter forms. */
    static final Map<String, String> SHORT = Map.of("v", "v", "f", "force", "o", "output", "h", "help");

    private KubeadmFlags() {
    }

    /** Whether a flag exists for the command, and then whether it takes a value; null if unknown. */
    static Boolean takesValue(Spec spec, String flag) {
        Boolean own = spec.flags().get(flag);
        return own != null ? own : GLOBAL.get(flag);
    }

    static boolean allowedWithConfig(String flag) {
        return ALLOWED_WITH_CONFIG.contains(flag) || flag.startsWith("skip-");
    }

    /** Names ending in {@code =} take a value. */
    private static Map<String, Boolean> flags(String... names) {
        Map<String, Boolean> m = new LinkedHashMap<>();
        for (String n : names) {
            boolean value = n.endsWith("=");
            m.put(value ? n.substring(0, n.length() - 1) : n, value);
        }
        return m;
    }

    static List<String> commandNames() {
        return List.copyOf(COMMANDS.keySet());
    }
}
