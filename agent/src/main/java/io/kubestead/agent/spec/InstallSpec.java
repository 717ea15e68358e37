package io.kubestead.agent.spec;

import io.kubestead.agent.version.KubernetesVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the user asked for, parsed once from the words and validated, with defaults resolved. Every later step
 * reads this and nothing else from the command line.
 */
public record InstallSpec(
        boolean ha,
        LoadBalancer loadBalancer,
        boolean taintControlPlane,
        boolean airgap,
        KubernetesVersion kubernetesVersion,
        String nodeName,
        String privateAddress,
        String publicAddress,
        List<String> certSans,
        Cidr podCidr,
        Cidr serviceCidr,
        String clusterName,
        String dnsDomain,
        String apiName,
        boolean yes,
        Path dryRunDir,
        String keyAlgorithm,
        int caValidityDays,
        int certValidityDays,
        Map<String, Path> providedCas,
        Set<String> preflightIgnore,
        Duration tokenTtl,
        BundleTrust bundleTrust,
        int bundleServerPort,
        ConsoleSettings console,
        Duration purgeAfter,
        Duration etcdBackup) {

    public InstallSpec {
        certSans = List.copyOf(certSans);
        providedCas = Map.copyOf(providedCas);
        preflightIgnore = Set.copyOf(preflightIgnore);
    }

    public Optional<Path> dryRun() {
        return Optional.ofNullable(dryRunDir);
    }

    public Optional<String> publicAddressValue() {
        return Optional.ofNullable(publicAddress);
    }

    /** The API server port on each master. */
    public int apiServerPort() {
        return LoadBalancer.API_SERVER_PORT;
    }

    /** See {@link LoadBalancer#controlPlaneEndpoint}: decided there for install, join and the balancer alike. */
    public HostPort controlPlaneEndpoint() {
        return loadBalancer.controlPlaneEndpoint(apiName);
    }

    /** Where the stable API name points on this node (an IP for /etc/hosts), or null when DNS answers for it. */
    public String apiNameTarget() {
        return loadBalancer.apiNameTarget(privateAddress).orElse(null);
    }

    /** The resolved spec as written to /etc/kubestead/install.json (no secrets in it). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ha", ha);
        Map<String, Object> lb = new LinkedHashMap<>();
        lb.put("mode", loadBalancer.mode().name().toLowerCase());
        lb.put("address", loadBalancer.externalAddress().map(HostPort::toString).orElse(null));
        lb.put("internalPort", loadBalancer.internalPort());
        lb.put("vip", loadBalancer.vip());
        lb.put("chosenBy", loadBalancer.source());
        m.put("loadBalancer", lb);
        m.put("controlPlaneEndpoint", controlPlaneEndpoint().toString());
        m.put("apiName", apiName);
        m.put("apiNameResolvesTo", apiNameTarget());
        m.put("taintControlPlane", taintControlPlane);
        m.put("airgap", airgap);
        m.put("kubernetesVersion", kubernetesVersion.toString());
        m.put("nodeName", nodeName);
        m.put("privateAddress", privateAddress);
        m.put("publicAddress", publicAddress);
        m.put("certSans", certSans);
        m.put("podCidr", podCidr.toString());
        m.put("serviceCidr", serviceCidr.toString());
        m.put("clusterName", clusterName);
        m.put("dnsDomain", dnsDomain);
        m.put("keyAlgorithm", keyAlgorithm);
        m.put("caValidityDays", caValidityDays);
        m.put("certValidityDays", certValidityDays);
        Map<String, String> cas = new LinkedHashMap<>();
        providedCas.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> cas.put(e.getKey(), e.getValue().toString()));
        m.put("providedCas", cas);
        m.put("preflightIgnore", preflightIgnore.stream().sorted().toList());
        m.put("tokenTtl", tokenTtl.toString());
        m.put("bundleServerPort", bundleServerPort);
        // the password file is read once, at install: it is no setting to compare on a rerun
        m.put("console", console.enabled() ? console.port() : "off");
        m.put("purgeAfter", purgeAfter.toString());
        m.put("etcdBackup", etcdBackup.toString());
        return m;
    }

    /** Whether NotReady nodes are purged automatically (purge-after=, never without ha). */
    public boolean purgesLostNodes() {
        return !purgeAfter.isZero();
    }

    /** The user's balancer, when the mode is external. */
    public Optional<HostPort> externalBalancer() {
        return loadBalancer.mode() == LoadBalancer.Mode.EXTERNAL ? Optional.of(loadBalancer.external()) : Optional.empty();
    }
}
