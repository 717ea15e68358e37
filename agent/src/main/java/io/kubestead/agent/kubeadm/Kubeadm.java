package io.kubestead.agent.kubeadm;

import io.kubestead.agent.host.ExecResult;
import java.time.Duration;

/**
 * The boundary to the kubeadm program. Every method runs one kubeadm command line and returns its result when it
 * succeeded; a failure throws {@link io.kubestead.agent.host.HostException} with kubeadm's last stderr line.
 * Configuration travels in the file passed as {@code configPath}, because kubeadm refuses most flags next to
 * {@code --config} (kubeadm.md 3.5): the certificate key, token and endpoints are in the file, not on the line.
 */
public interface Kubeadm {
    String ADMIN_KUBECONFIG = "/etc/kubernetes/admin.conf";

    /** {@code kubeadm init --config F --skip-token-print --skip-certificate-key-print [--upload-certs]}. */
    ExecResult init(String configPath, boolean uploadCerts);

    /**
     * The same init again after an earlier one was interrupted: kubeadm's phases reuse the certificates and
     * kubeconfigs already in place, and {@code --ignore-preflight-errors=all} lets it past the files and ports
     * the interrupted run left. Never a reset first: that would delete the cluster CA.
     */
    ExecResult initAgain(String configPath, boolean uploadCerts);

    /** {@code kubeadm join --config F}: a worker, or a control-plane node if the file has {@code controlPlane}. */
    ExecResult join(String configPath);

    /**
     * {@code kubeadm init phase upload-certs --upload-certs --config F --skip-certificate-key-print}: re-encrypts the shared certificates into
     * the {@code kubeadm-certs} Secret with the file's {@code certificateKey} (they expire after 2 hours).
     */
    ExecResult uploadCerts(String configPath);

    /** {@code kubeadm token create <token> --ttl D --kubeconfig admin.conf}; the command line is redacted in logs. */
    ExecResult tokenCreate(BootstrapToken token, Duration ttl);

    /** {@code kubeadm config images pull --config F}: pulls the control-plane images the file names. */
    ExecResult pullImages(String configPath);

    /** {@code kubeadm reset --force}: undoes init or join on this node. */
    ExecResult reset();

    /** {@code kubeadm version -o short}, e.g. {@code v1.33.4}. */
    String version();
}
