package io.kubestead.agent.join;

import io.kubestead.agent.spec.InstallSpec;
import io.kubestead.agent.spec.LoadBalancer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The join commands a master prints and writes as scripts: the words {@code kubestead join} takes, behind the
 * install.sh pipe. Only the master command carries {@code control-plane} and the certificate key.
 */
public final class JoinCommands {
    public static final String MASTER_SCRIPT = "/var/lib/kubestead/join-master.sh";
    public static final String WORKER_SCRIPT = "/var/lib/kubestead/join-worker.sh";

    private final InstallSpec spec;
    private final List<String> masters;
    private final JoinSecrets secrets;
    private final String caHash;
    private final String baseUrl;

    /**
     * @param masters the masters' addresses: the internal load balancer's backends, and a joining master's etcd
     *        endpoints
     * @param baseUrl where install.sh is served (null: the command reads install.sh from the current directory)
     */
    public JoinCommands(InstallSpec spec, List<String> masters, JoinSecrets secrets, String caHash, String baseUrl) {
        this.spec = spec;
        this.masters = List.copyOf(masters);
        this.secrets = secrets;
        this.caHash = caHash;
        this.baseUrl = baseUrl;
    }

    /** The words after {@code join}, for a master or a worker. */
    public List<String> words(boolean master) {
        List<String> w = new ArrayList<>();
        if (master) {
            w.add("control-plane");
        }
        w.add("endpoint=" + spec.controlPlaneEndpoint());
        w.add("load-balancer=" + spec.loadBalancer().mode().name().toLowerCase());
        if (spec.apiNameTarget() != null && spec.loadBalancer().mode() != LoadBalancer.Mode.INTERNAL) {
            w.add("endpoint-address=" + spec.apiNameTarget());
        }
        // Workers need the masters only as the internal balancer's backends; a master needs them in every mode, as
        // etcd endpoints for the control-plane join gate.
        // an air-gapped node fetches the bundle from the masters, so it needs them in every mode too
        if (spec.loadBalancer().mode() == LoadBalancer.Mode.INTERNAL || ((master || spec.airgap()) && !masters.isEmpty())) {
            w.add("masters=" + String.join(",", masters));
        }
        if (spec.loadBalancer().mode() == LoadBalancer.Mode.INTERNAL) {
            if (spec.loadBalancer().internalPort() != io.kubestead.agent.spec.InstallSpecParser.DEFAULT_INTERNAL_LB_PORT) {
                w.add("internal-load-balancer-port=" + spec.loadBalancer().internalPort());
            }
        }
        w.add("kubernetes-version=" + spec.kubernetesVersion());
        if (!spec.clusterName().equals("kubernetes")) {
            w.add("cluster-name=" + spec.clusterName());
        }
        w.add("token=" + secrets.token().value());
        w.add("ca-hash=" + caHash);
        if (spec.airgap()) {
            w.add("bundle-server-port=" + spec.bundleServerPort());
        }
        if (master) {
            w.add("cert-key=" + secrets.certificateKey().value());
            if (spec.taintControlPlane()) {
                w.add("taint-control-plane");
            }
        }
        return w;
    }

    /** The words without the secret ones: what {@code node add} may put on the new host's command line. */
    public List<String> publicWords(boolean master) {
        return words(master).stream().filter(w -> !secret(w)).toList();
    }

    /**
     * The secret words (token, certificate key), one a line: the content of the {@code secrets-file=FILE} that
     * {@code node add} sends to the new host instead of putting them on its command line.
     */
    public String secretsFile(boolean master) {
        StringBuilder sb = new StringBuilder();
        words(master).stream().filter(JoinCommands::secret).forEach(w -> sb.append(w).append('\n'));
        return sb.toString();
    }

    private static boolean secret(String word) {
        return io.kubestead.agent.spec.SecretsFile.SECRET_WORDS.stream().anyMatch(s -> word.startsWith(s + "="));
    }

    public boolean airgap() {
        return spec.airgap();
    }

    /** Where install.sh and the agent bundle are served (recorded at install), if anywhere. */
    public java.util.Optional<String> baseUrl() {
        return java.util.Optional.ofNullable(baseUrl);
    }

    public Instant expires(boolean master) {
        return master && secrets.keyExpires().isBefore(secrets.tokenExpires()) ? secrets.keyExpires() : secrets.tokenExpires();
    }

    /** The one-line command to run on the new host, as a user who can sudo. */
    public String command(boolean master) {
        return pipeline(master, "sudo bash -s");
    }

    private String pipeline(boolean master, String shell) {
        String words = String.join(" ", words(master));
        if (spec.airgap()) {
            return "cat install.sh | " + shell + " airgap join " + words;
        }
        if (baseUrl == null) {
            return "cat install.sh | " + shell + " join " + words;
        }
        return "curl -fsSL " + baseUrl + "/install.sh | " + shell + " join " + words;
    }

    /** The script written on the master (mode 0600: it carries the token, and for masters the certificate key). */
    public String script(boolean master) {
        String role = master ? "master" : "worker";
        return "#!/usr/bin/env bash\n"
                + "# Kubestead: joins the host it runs on to cluster '" + spec.clusterName() + "' as a " + role + ".\n"
                + "# Valid until " + expires(master) + " (" + (master ? "certificate key: 2 hours" : "bootstrap token")
                + "); after that run 'kubestead join-script " + role + "' on a master.\n"
                + (baseUrl == null || spec.airgap() ? "# Run it beside install.sh.\n" : "")
                + "# Words given to the script (dry-run, preflight-ignore=...) are passed on to install.sh.\n"
                + "set -euo pipefail\n"
                + "if [ \"$(id -u)\" -ne 0 ]; then exec sudo bash \"$0\" \"$@\"; fi\n"
                + pipeline(master, "bash -s") + " \"$@\"\n";
    }
}
