package io.kubestead.agent.kubeadm.standin;

import io.kubestead.agent.version.KubernetesVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The stand-in's memory of one host and its cluster: what kubeadm would refuse because of earlier calls (init twice,
 * join before init, unknown token, unpinned CA, control-plane join without controlPlaneEndpoint or uploaded certs).
 * Messages follow kubeadm's.
 */
final class ClusterRules {
    /** How kubeadm's --ttl flag (a Go time.Duration) is spelt. */
    private static final Pattern GO_DURATION = Pattern.compile("([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+|0");

    private final StandInCluster cluster;
    private final Path root;
    private String hostNode;

    ClusterRules(StandInCluster cluster, Path root) {
        this.cluster = cluster;
        this.root = root;
    }

    List<String> check(KubeadmCall call) {
        List<String> errors = new ArrayList<>();
        switch (call.command()) {
            case "init", "join" -> {
                boolean rerun = call.command().equals("init") && hostNode != null && ignoresAllPreflight(call);
                if (hostNode != null && !rerun) {
                    errors.add("[preflight] [ERROR FileAvailable--etc-kubernetes-kubelet.conf]: /etc/kubernetes/"
                            + "kubelet.conf already exists (this host ran init or join; run kubeadm reset first)");
                }
                if (call.configPath() == null) {
                    errors.add("stand-in: kubestead passes init and join settings in --config");
                }
                if (errors.isEmpty()) {
                    errors.addAll(call.command().equals("init") ? checkInit(call) : checkJoin(call));
                }
            }
            case "init phase upload-certs" -> {
                requireAdmin(call, errors);
                if (!call.has("upload-certs")) {
                    errors.add("stand-in: without --upload-certs this phase does nothing");
                }
                requireCertificateKey(call, errors);
            }
            case "token create" -> {
                requireAdmin(call, errors);
                if (call.positionals().isEmpty() || !io.kubestead.agent.kubeadm.BootstrapToken.isValid(call.positionals().get(0))) {
                    errors.add("stand-in: kubestead names the token it creates; got none or an invalid one");
                }
                String ttl = call.flags().containsKey("ttl") ? call.flags().get("ttl").get(0) : "24h";
                if (!GO_DURATION.matcher(ttl).matches()) {
                    errors.add("invalid argument \"" + ttl + "\" for \"--ttl\" flag: time: invalid duration");
                }
            }
            case "version" -> {
                String output = call.flags().containsKey("output") ? call.flags().get("output").get(0) : "";
                if (!List.of("", "short", "json", "yaml").contains(output)) {
                    errors.add("invalid output format: " + output);
                }
            }
            default -> { }
        }
        return errors;
    }

    /** Records the effect of an accepted call on the cluster; returns kubeadm-like stdout. */
    String apply(KubeadmCall call, KubernetesVersion version) {
        switch (call.command()) {
            case "init" -> {
                hostNode = nodeName(call);
                String local = call.field("InitConfiguration", "localAPIEndpoint.advertiseAddress") + ":"
                        + Objects.requireNonNullElse(call.field("InitConfiguration", "localAPIEndpoint.bindPort"), 6443);
                cluster.initialize((String) call.field("ClusterConfiguration", "controlPlaneEndpoint"), local);
                cluster.addNode(hostNode);
                Object tokens = call.field("InitConfiguration", "bootstrapTokens");
                for (Object t : tokens instanceof List<?> l ? l : List.of()) {
                    cluster.addToken((String) ((java.util.Map<?, ?>) t).get("token"));
                }
                if (call.has("upload-certs")) {
                    cluster.uploadCertificates((String) call.field("InitConfiguration", "certificateKey"));
                }
                Object dir = call.field("ClusterConfiguration", "certificatesDir");
                cluster.caCertHash(caHash(dir == null ? "/etc/kubernetes/pki" : (String) dir));
                return "Your Kubernetes control-plane has initialized successfully!\n";
            }
            case "join" -> {
                hostNode = nodeName(call);
                cluster.addNode(hostNode);
                if (call.field("JoinConfiguration", "controlPlane") != null) {
                    cluster.addApiEndpoint(call.field("JoinConfiguration", "controlPlane.localAPIEndpoint.advertiseAddress")
                            + ":" + Objects.requireNonNullElse(
                                    call.field("JoinConfiguration", "controlPlane.localAPIEndpoint.bindPort"), 6443));
                }
                return "This node has joined the cluster.\n";
            }
            case "init phase upload-certs" -> {
                cluster.uploadCertificates((String) call.field("InitConfiguration", "certificateKey"));
                return "[upload-certs] Storing the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace\n";
            }
            case "token create" -> {
                cluster.addToken(call.positionals().get(0));
                return call.positionals().get(0) + "\n";
            }
            case "reset" -> {
                if (hostNode != null) {
                    cluster.removeNode(hostNode);
                }
                hostNode = null;
                return "[reset] Deleted contents of the etcd data directory\n";
            }
            case "version" -> {
                return "v" + version + "\n";
            }
            default -> {
                return "";
            }
        }
    }

    /** kubeadm init run again over an interrupted one passes its own preflight only with this. */
    private static boolean ignoresAllPreflight(KubeadmCall call) {
        return call.flags().getOrDefault("ignore-preflight-errors", List.of()).stream()
                .anyMatch(v -> java.util.Arrays.asList(v.split(",")).contains("all"));
    }

    private List<String> checkInit(KubeadmCall call) {
        List<String> errors = new ArrayList<>();
        if (cluster.initialized() && !(hostNode != null && ignoresAllPreflight(call))) {
            errors.add("stand-in: this test cluster was already initialised on another host; join instead");
        }
        if (call.has("upload-certs")) {
            requireCertificateKey(call, errors);
        }
        return errors;
    }

    private List<String> checkJoin(KubeadmCall call) {
        List<String> errors = new ArrayList<>();
        String endpoint = (String) call.field("JoinConfiguration", "discovery.bootstrapToken.apiServerEndpoint");
        if (!cluster.initialized() || endpoint == null || !cluster.servesApiAt(endpoint)) {
            errors.add("error execution phase preflight: couldn't validate the identity of the API Server: Get "
                    + "\"https://" + endpoint + "/api/v1/namespaces/kube-public/configmaps/cluster-info\": "
                    + "dial tcp " + endpoint + ": connect: connection refused");
            return errors;
        }
        String token = (String) call.field("JoinConfiguration", "discovery.bootstrapToken.token");
        if (token != null && !cluster.hasToken(token)) {
            errors.add("error execution phase preflight: couldn't validate the identity of the API Server: token id \""
                    + token.substring(0, 6) + "\" is invalid for this cluster or it has expired. Use \"kubeadm token"
                    + " create\" on the control-plane node to create a new valid token");
        }
        Object hashes = call.field("JoinConfiguration", "discovery.bootstrapToken.caCertHashes");
        if (cluster.caCertHash() != null && !(hashes instanceof List<?> l && l.contains(cluster.caCertHash()))) {
            errors.add("error execution phase preflight: cluster CA found in cluster-info ConfigMap is invalid: none of"
                    + " the public keys \"" + cluster.caCertHash() + "\" are pinned");
        }
        if (!cluster.nodes().isEmpty() && cluster.nodes().contains(nodeName(call))) {
            errors.add("error execution phase kubelet-start: a Node with name \"" + nodeName(call)
                    + "\" and status \"Ready\" already exists in the cluster");
        }
        if (call.field("JoinConfiguration", "controlPlane") != null) {
            if (cluster.controlPlaneEndpoint().isEmpty()) {
                errors.add("error execution phase preflight: One or more conditions for hosting a new control plane"
                        + " instance is not satisfied. unable to add a new control plane instance to a cluster that"
                        + " doesn't have a stable controlPlaneEndpoint address");
            }
            Object key = call.field("JoinConfiguration", "controlPlane.certificateKey");
            if (cluster.uploadedCertificateKey() == null) {
                errors.add("error execution phase control-plane-prepare/download-certs: error downloading certs: error"
                        + " downloading the secret: secrets \"kubeadm-certs\" not found");
            } else if (!cluster.uploadedCertificateKey().equals(key)) {
                errors.add("error execution phase control-plane-prepare/download-certs: error downloading certs: error"
                        + " decoding certs: cipher: message authentication failed");
            }
        }
        return errors;
    }

    private void requireAdmin(KubeadmCall call, List<String> errors) {
        String kubeconfig = call.flags().containsKey("kubeconfig") ? call.flags().get("kubeconfig").get(0)
                : "/etc/kubernetes/admin.conf";
        if (!cluster.initialized() || !Files.isRegularFile(root.resolve(kubeconfig.substring(1)))) {
            errors.add("failed to load admin kubeconfig: open " + kubeconfig + ": no such file or directory");
        }
    }

    private static void requireCertificateKey(KubeadmCall call, List<String> errors) {
        if (call.field("InitConfiguration", "certificateKey") == null) {
            errors.add("stand-in: no InitConfiguration.certificateKey: kubeadm would upload the certificates under a"
                    + " random key that no joining control-plane node knows");
        }
    }

    private String nodeName(KubeadmCall call) {
        Object name = call.field(call.command().equals("init") ? "InitConfiguration" : "JoinConfiguration",
                "nodeRegistration.name");
        return name != null ? (String) name : "localhost";
    }

    private String caHash(String certificatesDir) {
        Path ca = root.resolve(certificatesDir.substring(1)).resolve("ca.crt");
        if (!Files.isRegularFile(ca)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(ca)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded());
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stand-in: " + ca + " is not a certificate", e);
        }
    }
}
