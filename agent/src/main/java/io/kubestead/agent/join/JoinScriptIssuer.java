package io.kubestead.agent.join;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.kubeadm.InitConfigInput;
import io.kubestead.agent.kubeadm.InstallSettings;
import io.kubestead.agent.kubeadm.Kubeadm;
import io.kubestead.agent.kubeadm.KubeadmConfigRenderer;
import io.kubestead.agent.kubeadm.NodeSettings;
import io.kubestead.agent.pki.CaHash;
import io.kubestead.agent.spec.InstallSpec;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

/**
 * Issues join commands on a master: a fresh bootstrap token each time, and for masters a fresh upload of the
 * control-plane certificates under a new certificate key. Writes both scripts (mode 0600).
 */
public final class JoinScriptIssuer {
    /** Where install.sh was served from, recorded by install so later join commands download it from there too. */
    public static final String BASE_URL_PATH = "/etc/kubestead/base-url";
    static final String CA_CERT = "/etc/kubernetes/pki/ca.crt";

    /** The init configuration used only to re-upload certificates on any master (mode 0600: it holds the key). */
    public static final String UPLOAD_CONFIG_PATH = "/etc/kubestead/kubeadm-upload-certs.yaml";

    private final Host host;
    private final Kubeadm kubeadm;
    private final SecureRandom random;
    private final Clock clock;

    public JoinScriptIssuer(Host host, Kubeadm kubeadm, SecureRandom random, Clock clock) {
        this.host = host;
        this.kubeadm = kubeadm;
        this.random = random;
        this.clock = clock;
    }

    /**
     * New secrets for a join of the given role, registered with the cluster: the token through
     * {@code kubeadm token create}; for a master, the certificates uploaded again under a new key.
     */
    public JoinSecrets refresh(InstallSpec spec, NodeSettings thisMaster, boolean master) {
        JoinSecrets old = JoinSecrets.load(host).orElse(null);
        JoinSecrets fresh = JoinSecrets.generate(random, clock.instant(), spec.tokenTtl());
        if (!master && old != null) {
            // a worker command must not invalidate the certificate key a master command handed out earlier
            fresh = new JoinSecrets(fresh.token(), fresh.tokenExpires(), old.certificateKey(), old.keyExpires());
        }
        kubeadm.tokenCreate(fresh.token(), spec.tokenTtl());
        if (master) {
            InitConfigInput in = new InitConfigInput(InstallSettings.cluster(spec), thisMaster, fresh.token(),
                    spec.tokenTtl(), fresh.certificateKey());
            host.writeString(UPLOAD_CONFIG_PATH, new KubeadmConfigRenderer().renderInit(in), 0600);
            kubeadm.uploadCerts(UPLOAD_CONFIG_PATH);
        }
        fresh.save(host);
        return fresh;
    }

    /**
     * The join commands for these secrets: the CA pin from this master's ca.crt, the masters from the cluster
     * (or only this one, when {@code askCluster} is false, as in a dry-run), and the recorded base URL.
     */
    public JoinCommands commands(InstallSpec spec, JoinSecrets secrets, boolean askCluster) {
        byte[] ca = host.readFile(CA_CERT).orElseThrow(
                () -> new IllegalStateException(CA_CERT + " is missing: is this a master? (rerun install on the first one)"));
        String hash;
        try {
            hash = CaHash.of(io.kubestead.agent.pki.Pem.certificate(ca));
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException(CA_CERT + " is not a PEM certificate: " + e.getMessage(), e);
        }
        List<String> fallback = List.of(spec.privateAddress());
        List<String> masters = askCluster ? masters(fallback) : fallback;
        String baseUrl = host.readString(BASE_URL_PATH).map(String::strip).filter(u -> !u.isEmpty()).orElse(null);
        return new JoinCommands(spec, masters, secrets, hash, baseUrl);
    }

    /**
     * A fresh join command for a master or a worker, as {@code join-script} and the console make them: new secrets
     * registered with the cluster, both scripts written again, and the commands for them.
     */
    public JoinCommands issue(InstallSpec spec, boolean master) {
        JoinCommands commands = commands(spec, refresh(spec, InstallSettings.node(spec), master), true);
        writeScripts(commands);
        return commands;
    }

    /** Writes both join scripts for the current secrets. */
    public void writeScripts(JoinCommands commands) {
        host.writeString(JoinCommands.MASTER_SCRIPT, commands.script(true), 0600);
        host.writeString(JoinCommands.WORKER_SCRIPT, commands.script(false), 0600);
    }

    /** The masters' internal addresses, from the cluster; the given fallback when the API cannot be asked. */
    public List<String> masters(List<String> fallback) {
        List<String> found = ClusterNodes.list(host, Kubeadm.ADMIN_KUBECONFIG, true).stream()
                .map(ClusterNodes.Node::address).sorted().toList();
        return found.isEmpty() ? fallback : found;
    }
}
