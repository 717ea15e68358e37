package io.kubestead.agent.spec;

import io.kubestead.agent.version.KubernetesVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns install words into an {@link InstallSpec}. Defaults that depend on the machine (host name, primary
 * address) and the working directory come in through the constructor, so parsing is pure and testable.
 */
public final class InstallSpecParser {
    static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    private static final List<String> KEY_ALGORITHMS = List.of("rsa-2048", "rsa-3072", "rsa-4096", "ecdsa-p256");
    private static final List<String> CA_WORDS = List.of("ca", "etcd-ca", "front-proxy-ca");
    public static final int DEFAULT_INTERNAL_LB_PORT = 6444;
    /** How often the first master saves an etcd snapshot unless etcd-backup= says otherwise. */
    public static final Duration DEFAULT_ETCD_BACKUP = Duration.ofHours(6);

    private final String hostName;
    private final String primaryAddress;
    private final List<String> localAddresses;
    private final Path workingDir;
    private final Prompter prompter;
    private final SupportedVersions versions = new SupportedVersions();
    private final BundleVersion.Lookup bundles;

    public InstallSpecParser(String hostName, String primaryAddress, Path workingDir, Prompter prompter) {
        this(hostName, primaryAddress, workingDir, prompter, BundleVersion.Lookup.NONE);
    }

    /** With the air-gap bundle to take the Kubernetes version from when airgap is given. */
    public InstallSpecParser(String hostName, String primaryAddress, Path workingDir, Prompter prompter,
                             BundleVersion.Lookup bundles) {
        this(hostName, primaryAddress, List.of(), workingDir, prompter, bundles);
    }

    /**
     * With this host's addresses and their prefix lengths ({@code 10.0.0.5/24}), which a {@code vip=} must be none
     * of, nor the network or broadcast address of their subnets.
     */
    public InstallSpecParser(String hostName, String primaryAddress, List<String> localAddresses, Path workingDir,
                             Prompter prompter, BundleVersion.Lookup bundles) {
        this.localAddresses = List.copyOf(localAddresses);
        this.hostName = hostName;
        this.primaryAddress = primaryAddress;
        this.workingDir = workingDir;
        this.prompter = prompter;
        this.bundles = bundles;
    }

    public InstallSpec parse(List<String> args) {
        Words w = Words.parse(args, InstallWords.ALL, "install");
        Path dryRun = DryRunDir.of(w, workingDir).orElse(null);

        // air-gapped, the bundle's version rules: any patch of a supported minor, checked against the bundle below
        Optional<KubernetesVersion> given = w.value("kubernetes-version",
                w.has("airgap") ? versions::resolveAnyPatch : versions::resolve, "supported: " + versions.range());
        BundleTrust trust = BundleTrust.from(w);
        KubernetesVersion version = (w.has("airgap")
                ? BundleVersion.choose(w.value("kubernetes-version"), given, bundles.find(trust, Optional.ofNullable(dryRun)), versions)
                : given).orElse(versions.defaultVersion());
        String clusterName = w.value("cluster-name", InstallSpecParser::dnsLabel,
                "use lower-case letters, digits and '-'").orElse("kubernetes");
        String apiName = w.value("api-name", InstallSpecParser::dnsName, "use a DNS name such as api.example.internal")
                .orElse("api." + clusterName + ".kubestead.internal");
        String nodeName = w.value("node-name", InstallSpecParser::nodeName,
                "use lower-case letters, digits, '-' and '.'").orElseGet(() -> nodeNameOfHost(hostName));
        String privateAddress = w.value("private-address", InstallSpecParser::nodeAddress, NODE_ADDRESS)
                .orElse(primaryAddress);
        if (privateAddress == null) {
            throw new SpecException("this host has no usable network address; give one with private-address=IP");
        }
        String publicAddress = w.value("public-address", InstallSpecParser::nodeAddress, NODE_ADDRESS).orElse(null);
        List<String> sans = w.value("cert-sans", InstallSpecParser::sanList,
                "give comma-separated DNS names or IPs").orElse(List.of());
        Cidr pods = w.value("pod-cidr", Cidr::parse, "give a network such as 10.244.0.0/16").orElse(Cidr.parse("10.244.0.0/16"));
        Cidr services = w.value("service-cidr", Cidr::parse, "give a network such as 10.96.0.0/12").orElse(Cidr.parse("10.96.0.0/12"));
        if (pods.overlaps(services)) {
            throw new SpecException("words 'pod-cidr=" + pods + "' and 'service-cidr=" + services
                    + "' overlap; choose networks that do not, e.g. pod-cidr=10.244.0.0/16 service-cidr=10.96.0.0/12");
        }
        String keyAlgorithm = w.value("key-algorithm", InstallSpecParser::keyAlgorithm,
                "valid: " + String.join(", ", KEY_ALGORITHMS)).orElse("rsa-2048");
        int caDays = w.value("ca-validity-days", s -> days(s, 36500), "give whole days, e.g. 3650").orElse(3650);
        int certDays = w.value("cert-validity-days", s -> days(s, caDays), "give whole days, e.g. 365").orElse(365);
        Duration ttl = w.value("token-ttl", InstallSpecParser::duration, "e.g. 24h, 2h30m or 45m").orElse(Duration.ofHours(24));
        Set<String> ignore = w.value("preflight-ignore", s -> new LinkedHashSet<>(Arrays.asList(s.split(","))),
                "give check names").orElse(new LinkedHashSet<>());

        boolean ha = w.has("ha") || w.has("vip");
        LoadBalancer lb = loadBalancer(w, ha);
        if (lb.mode() == LoadBalancer.Mode.VIP) {
            List<String> own = new ArrayList<>(localAddresses);
            own.add(privateAddress);
            if (publicAddress != null) {
                own.add(publicAddress);
            }
            Addresses.vipProblem(lb.vip(), own).ifPresent(problem -> {
                throw new SpecException("word " + w.shown("vip") + ": " + problem
                        + "; give a free address of the masters' subnet that no host holds");
            });
        }
        int bundlePort = bundleServerPort(w, lb);
        Duration purgeAfter = purgeAfter(w, ha);
        Duration etcdBackup = w.value("etcd-backup", InstallSpecParser::backupInterval,
                "give 0 (no backups) or an interval from 15m to 168h, e.g. 6h").orElse(DEFAULT_ETCD_BACKUP);
        return new InstallSpec(ha, lb, w.has("taint-control-plane"), w.has("airgap"), version, nodeName,
                privateAddress, publicAddress, sans, pods, services, clusterName, "cluster.local", apiName,
                w.has("yes"), dryRun, keyAlgorithm, caDays, certDays, providedCas(w), ignore, ttl, trust, bundlePort,
                ConsoleSettings.from(w, lb, w.has("airgap"), bundlePort), purgeAfter, etcdBackup);
    }

    /** A rebooting node is NotReady for minutes; purging it then would throw away a healthy node. */
    static final Duration MIN_PURGE_AFTER = Duration.ofMinutes(5);
    static final Duration DEFAULT_PURGE_AFTER = Duration.ofHours(1);

    /** How long a node may be NotReady before the masters purge it: 1h with ha, off (0) otherwise. */
    private static Duration purgeAfter(Words w, boolean ha) {
        Optional<Duration> given = w.value("purge-after", s -> s.equals("0") ? Duration.ZERO : duration(s),
                "give 0 (off) or a duration such as 1h, 90m or 2h30m");
        if (given.isEmpty()) {
            return ha ? DEFAULT_PURGE_AFTER : Duration.ZERO;
        }
        Duration d = given.get();
        if (!d.isZero() && !ha) {
            throw new SpecException("word " + w.shown("purge-after") + " applies only to ha clusters (a single master"
                    + " has no other master to purge from); drop it or add ha");
        }
        if (!d.isZero() && d.compareTo(MIN_PURGE_AFTER) < 0) {
            throw new SpecException("word " + w.shown("purge-after") + " is shorter than 5m: a rebooting node is"
                    + " NotReady for minutes; give 0 (off) or at least 5m");
        }
        return d;
    }

    /** The port every master serves the air-gap bundle on; the join commands carry it to the other hosts. */
    private static int bundleServerPort(Words w, LoadBalancer lb) {
        Optional<Integer> given = w.value("bundle-server-port", InstallSpecParser::port, "give a port 1-65535");
        if (given.isEmpty()) {
            return JoinSpecParser.DEFAULT_BUNDLE_SERVER_PORT;
        }
        if (!w.has("airgap")) {
            throw new SpecException("word 'bundle-server-port' applies only to air-gapped clusters; drop it or add airgap");
        }
        int port = given.get();
        // the masters already listen on these, and on the internal balancer's port
        Set<Integer> taken = new LinkedHashSet<>(NodePorts.MASTER);
        if (lb.mode() == LoadBalancer.Mode.INTERNAL) {
            taken.add(lb.internalPort());
        }
        if (taken.contains(port)) {
            throw new SpecException("word 'bundle-server-port=" + port + "' is a port a master already uses (" + taken
                    + "); choose another, e.g. " + JoinSpecParser.DEFAULT_BUNDLE_SERVER_PORT);
        }
        return port;
    }

    private LoadBalancer loadBalancer(Words w, boolean ha) {
        int port = w.value("internal-load-balancer-port", InstallSpecParser::port,
                "give a port 1-65535").orElse(DEFAULT_INTERNAL_LB_PORT);
        Optional<HostPort> external = w.value("load-balancer-address", s -> HostPort.parse(s, 6443),
                "give HOST[:PORT], e.g. lb.example.com:6443 or [fd00::10]:6443");
        Optional<String> vip = w.value("vip", InstallSpecParser::nodeAddress, "give a free IPv4 or IPv6 address of the masters' subnet");
        if (external.isPresent() && vip.isPresent()) {
            throw new SpecException("words 'load-balancer-address' and 'vip' both choose how to reach the masters; give one");
        }
        if (w.has("internal-load-balancer-port") && (external.isPresent() || vip.isPresent())) {
            throw new SpecException("word 'internal-load-balancer-port' applies only to the internal load balancer;"
                    + " drop it or drop load-balancer-address/vip");
        }
        if (external.isPresent()) {
            return new LoadBalancer(LoadBalancer.Mode.EXTERNAL, external.get(), port, null, "load-balancer-address");
        }
        if (vip.isPresent()) {
            return new LoadBalancer(LoadBalancer.Mode.VIP, null, port, vip.get(), "vip");
        }
        if (!ha) {
            return new LoadBalancer(LoadBalancer.Mode.NONE, null, port, null, "single master");
        }
        if (w.has("yes") || w.has("internal-load-balancer-port")) {
            return new LoadBalancer(LoadBalancer.Mode.INTERNAL, null, port, null, "chosen by default");
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<String> answer = prompter.ask("Load balancer address (HOST:PORT) for the API servers;"
                    + " press Enter for the internal load balancer: ");
            if (answer.isEmpty()) {
                return new LoadBalancer(LoadBalancer.Mode.INTERNAL, null, port, null, "chosen by default");
            }
            String a = answer.get().strip();
            if (a.isEmpty() || a.equalsIgnoreCase("yes") || a.equalsIgnoreCase("y")) {
                return new LoadBalancer(LoadBalancer.Mode.INTERNAL, null, port, null, "chosen at the prompt");
            }
            try {
                return new LoadBalancer(LoadBalancer.Mode.EXTERNAL, HostPort.parse(a, 6443), port, null, "entered at the prompt");
            } catch (IllegalArgumentException e) {
                prompter.ask(Shown.quoted(a) + " is not HOST[:PORT]: " + e.getMessage() + ". Press Enter to try again.");
            }
        }
        throw new SpecException("no valid load balancer address after three tries; give load-balancer-address=HOST:PORT");
    }

    private static Map<String, Path> providedCas(Words w) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String ca : CA_WORDS) {
            Optional<String> cert = w.value(ca + "-cert");
            Optional<String> key = w.value(ca + "-key");
            if (cert.isPresent() != key.isPresent()) {
                String given = cert.isPresent() ? ca + "-cert" : ca + "-key";
                String missing = cert.isPresent() ? ca + "-key" : ca + "-cert";
                throw new SpecException("word '" + given + "' needs '" + missing + "=FILE' too: the agent signs with the CA's key"
                        + " (a CA without its key cannot sign the other certificates)");
            }
            if (cert.isPresent()) {
                for (String word : List.of(ca + "-cert", ca + "-key")) {
                    out.put(word, inputFile(w, word, "give the path of a PEM file"));
                }
            }
        }
        return out;
    }

    /**
     * The file a file-valued word names, as an absolute path, after checking that it is a regular file of PEM size
     * (see {@link InputFile}); what is in it is checked before the plan's first phase.
     */
    static Path inputFile(Words w, String word, String valid) {
        Path p = Path.of(w.value(word).orElseThrow()).toAbsolutePath();
        try {
            InputFile.check(p, InputFile.PEM_LIMIT);
        } catch (InputFile.Refused e) {
            throw new SpecException("word " + w.shown(word) + ": the file " + e.getMessage() + "; " + valid);
        }
        return p;
    }

    /** The default node name: the host name, lower-cased, when it is a valid node name (as kubeadm does). */
    static String nodeNameOfHost(String hostName) {
        String n = hostName == null ? "" : hostName.toLowerCase(Locale.ROOT);
        if (!NODE_NAME.matcher(n).matches() || n.length() > 253) {
            throw new SpecException("the host name " + Shown.quoted(hostName) + " is not a valid node name;"
                    + " give one with node-name=NAME (lower-case letters, digits, '-' and '.')");
        }
        return n;
    }

    static String nodeName(String s) {
        if (s.length() > 253 || !NODE_NAME.matcher(s).matches()) {
            throw new IllegalArgumentException(Shown.quoted(s) + " is not a valid node name");
        }
        return s;
    }

    static String dnsLabel(String s) {
        if (!s.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new IllegalArgumentException(Shown.quoted(s) + " is not a DNS label");
        }
        return s;
    }

    static String dnsName(String s) {
        String name = s.toLowerCase(Locale.ROOT);
        if (!HostPort.isDnsName(name) || !name.contains(".")) {
            throw new IllegalArgumentException(Shown.quoted(s) + " is not a DNS name with a domain");
        }
        return name;
    }

    static String ip(String s) {
        if (!Addresses.isIp(s)) {
            throw new IllegalArgumentException(Shown.quoted(s) + " is not an IP address");
        }
        return s;
    }

    /** An address other hosts can reach this node at: an IP that is not loopback, unspecified, multicast or link-local. */
    static String nodeAddress(String s) {
        ip(s);
        Addresses.nodeAddressProblem(s).ifPresent(problem -> {
            throw new IllegalArgumentException(Shown.quoted(s) + " " + problem + ", which other nodes cannot reach this node at");
        });
        return s;
    }

    static final String NODE_ADDRESS = "give this node's IPv4 or IPv6 address on the network the other nodes reach";

    static int port(String s) {
        if (!s.matches("\\d{1,5}") || Integer.parseInt(s) < 1 || Integer.parseInt(s) > 65535) {
            throw new IllegalArgumentException(Shown.quoted(s) + " is not a port number (1-65535)");
        }
        return Integer.parseInt(s);
    }

    static List<String> sanList(String s) {
        List<String> out = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            String p = part.strip();
            String name = (p.startsWith("*.") ? p.substring(2) : p).toLowerCase(Locale.ROOT);
            if (p.isEmpty() || (!Addresses.isIp(p) && !HostPort.isDnsName(name))) {
                throw new IllegalArgumentException(Shown.quoted(p) + " is neither a DNS name nor an IP address");
            }
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    static String keyAlgorithm(String s) {
        String v = s.toLowerCase(Locale.ROOT);
        if (!KEY_ALGORITHMS.contains(v)) {
            throw new IllegalArgumentException(Shown.quoted(s) + " is not a supported key algorithm");
        }
        return v;
    }

    static int days(String s, int max) {
        if (!s.matches("\\d{1,6}") || Integer.parseInt(s) < 1 || Integer.parseInt(s) > max) {
            throw new IllegalArgumentException(Shown.quoted(s) + " must be a whole number of days from 1 to " + max);
        }
        return Integer.parseInt(s);
    }

    /** 0 (off) or an interval between 15 minutes and a week. */
    static Duration backupInterval(String s) {
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(s);
        if (!m.matches() || s.length() > 12) {
            throw new IllegalArgumentException(Shown.quoted(s) + " is not a duration");
        }
        long seconds = 0;
        long[] unit = {3600, 60, 1};
        for (int g = 1; g <= 3; g++) {
            seconds += m.group(g) == null ? 0 : Long.parseLong(m.group(g)) * unit[g - 1];
        }
        if (seconds < 15 * 60 || seconds > Duration.ofDays(7).toSeconds()) {
            throw new IllegalArgumentException(Shown.quoted(s) + " must be 0 or between 15m and 168h");
        }
        return Duration.ofSeconds(seconds);
    }

    static Duration duration(String s) {
        Matcher m = DURATION.matcher(s);
        if (s.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException(Shown.quoted(s) + " is not a duration");
        }
        long seconds = 0;
        long[] unit = {3600, 60, 1};
        for (int g = 1; g <= 3; g++) {
            String n = m.group(g);
            // more than 9 digits is out of range whatever the unit; the bound keeps the sum far from overflow
            if (n != null && n.length() > 9) {
                seconds = Long.MAX_VALUE;
                break;
            }
            seconds += n == null ? 0 : Long.parseLong(n) * unit[g - 1];
        }
        if (seconds < 60 || seconds > Duration.ofDays(365).toSeconds()) {
            throw new IllegalArgumentException(Shown.quoted(s) + " must be between 1m and 8760h");
        }
        return Duration.ofSeconds(seconds);
    }
}
