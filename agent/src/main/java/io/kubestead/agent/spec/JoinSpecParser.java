package io.kubestead.agent.spec;

import io.kubestead.agent.version.KubernetesVersion;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Turns join words into a {@link JoinSpec}; host defaults come in through the constructor. */
public final class JoinSpecParser {
    private final String hostName;
    private final String primaryAddress;
    private final Path workingDir;
    private final BundleVersion.Lookup bundles;

    public JoinSpecParser(String hostName, String primaryAddress, Path workingDir) {
        this(hostName, primaryAddress, workingDir, BundleVersion.Lookup.NONE);
    }

    /** With the air-gap bundle to take the Kubernetes version from when airgap is given. */
    public JoinSpecParser(String hostName, String primaryAddress, Path workingDir, BundleVersion.Lookup bundles) {
        this.hostName = hostName;
        this.primaryAddress = primaryAddress;
        this.workingDir = workingDir;
        this.bundles = bundles;
    }

    /** The masters' air-gap bundle server (kubestead-bundle-server); same as airgap.BundleServer.DEFAULT_PORT. */
    public static final int DEFAULT_BUNDLE_SERVER_PORT = 6446;

    public JoinSpec parse(List<String> args) {
        Words w = Words.parse(SecretsFile.expand(args, workingDir), JoinWords.ALL, "join");
        HostPort endpoint = w.value("endpoint", s -> HostPort.parse(s, 6443), "give HOST:PORT, e.g. api.example.internal:6443")
                .orElseThrow(() -> missing("endpoint"));
        String token = w.value("token").orElseThrow(() -> missing("token"));
        if (!token.matches("[a-z0-9]{6}\\.[a-z0-9]{16}")) {
            throw new SpecException("word 'token' is not a bootstrap token (6 and 16 lower-case letters or digits joined by"
                    + " '.'); copy it from the join script, or run 'kubestead join-script' on a master for a new one");
        }
        String caHash = w.value("ca-hash").orElseThrow(() -> missing("ca-hash"));
        if (!caHash.matches("sha256:[0-9a-f]{64}")) {
            throw new SpecException("word 'ca-hash' must be sha256: and 64 hex digits; copy it from the join script");
        }
        boolean cp = w.has("control-plane");
        String key = w.value("cert-key").orElse(null);
        if (cp && key == null) {
            throw new SpecException("word 'control-plane' needs 'cert-key=HEX': run 'kubestead join-script master' on a"
                    + " master for a command that carries it");
        }
        if (key != null && !key.toLowerCase(Locale.ROOT).matches("[0-9a-f]{64}")) {
            throw new SpecException("word 'cert-key' must be 64 hex digits; copy it from the join script");
        }
        if (!cp && key != null) {
            throw new SpecException("word 'cert-key' is for masters; add 'control-plane' or drop it");
        }
        LoadBalancer.Mode mode = w.value("load-balancer", s -> LoadBalancer.Mode.valueOf(s.toUpperCase(Locale.ROOT)),
                "give none, external, internal or vip").orElse(LoadBalancer.Mode.NONE);
        List<String> masters = w.value("masters", s -> Arrays.stream(s.split(",")).map(InstallSpecParser::ip).toList(),
                "give comma-separated IP addresses").orElse(List.of());
        if (mode == LoadBalancer.Mode.INTERNAL && masters.isEmpty()) {
            throw new SpecException("word 'load-balancer=internal' needs 'masters=IP,...' for the local balancer's backends");
        }
        String endpointAddress = w.value("endpoint-address", InstallSpecParser::ip, "give an IP address").orElse(null);
        int port = w.value("internal-load-balancer-port", InstallSpecParser::port, "give a port")
                .orElse(InstallSpecParser.DEFAULT_INTERNAL_LB_PORT);
        SupportedVersions versions = new SupportedVersions();
        // air-gapped, the masters' bundle rules: any patch of a supported minor, checked against the bundle below
        Optional<KubernetesVersion> given = w.value("kubernetes-version",
                w.has("airgap") ? versions::resolveAnyPatch : versions::resolve, "supported: " + versions.range());
        BundleTrust trust = BundleTrust.from(w);
        Path dryRun = DryRunDir.of(w, workingDir).orElse(null);
        KubernetesVersion version = (w.has("airgap")
                ? BundleVersion.choose(w.value("kubernetes-version"), given, bundles.find(trust, Optional.ofNullable(dryRun)), versions)
                : given).orElseThrow(() -> missing("kubernetes-version"));
        String clusterName = w.value("cluster-name", InstallSpecParser::dnsLabel, "use lower-case letters, digits and '-'")
                .orElse("kubernetes");
        if ((mode == LoadBalancer.Mode.VIP || mode == LoadBalancer.Mode.NONE) && endpointAddress == null && !endpoint.hostIsIp()) {
            throw new SpecException("word 'load-balancer=" + mode.name().toLowerCase(Locale.ROOT)
                    + "' needs 'endpoint-address=IP' for /etc/hosts; copy the command from 'kubestead join-script'");
        }
        String nodeName = w.value("node-name", InstallSpecParser::nodeName, "use lower-case letters, digits, '-' and '.'")
                .orElseGet(() -> InstallSpecParser.nodeNameOfHost(hostName));
        String address = w.value("private-address", InstallSpecParser::nodeAddress, InstallSpecParser.NODE_ADDRESS)
                .orElse(primaryAddress);
        if (address == null) {
            throw new SpecException("this host has no usable network address; give one with private-address=IP");
        }
        Set<String> ignore = w.value("preflight-ignore", s -> new LinkedHashSet<>(Arrays.asList(s.split(","))), "give check names")
                .orElse(new LinkedHashSet<>());
        return new JoinSpec(cp, endpoint, endpointAddress, mode, masters, port, token, caHash,
                key == null ? null : key.toLowerCase(Locale.ROOT), version, clusterName, nodeName, address,
                w.has("taint-control-plane"), w.has("airgap"),
                w.value("bundle-server-port", InstallSpecParser::port, "give a port")
                        .orElse(DEFAULT_BUNDLE_SERVER_PORT), ignore, w.has("yes"), dryRun, trust);
    }

    private static SpecException missing(String word) {
        return new SpecException("word '" + word + "' is missing; join with the command 'kubestead join-script' prints on a master");
    }
}
