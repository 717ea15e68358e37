package io.kubestead.agent.kubeadm.standin;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a real cluster would remember between kubeadm calls on different hosts: whether init ran, its
 * controlPlaneEndpoint, valid bootstrap tokens, the key of the uploaded certificates, the CA pin and node names.
 * Share one instance between the stand-ins of the hosts of one test cluster.
 */
public final class StandInCluster {
    private boolean initialized;
    private String controlPlaneEndpoint = "";
    private final Set<String> tokens = new LinkedHashSet<>();
    private final Set<String> apiEndpoints = new LinkedHashSet<>();
    private final List<String> nodes = new ArrayList<>();
    private String uploadedCertificateKey;
    private String caCertHash;

    public synchronized boolean initialized() {
        return initialized;
    }

    public synchronized String controlPlaneEndpoint() {
        return controlPlaneEndpoint;
    }

    public synchronized List<String> nodes() {
        return List.copyOf(nodes);
    }

    public synchronized boolean hasToken(String token) {
        return tokens.contains(token);
    }

    public synchronized String uploadedCertificateKey() {
        return uploadedCertificateKey;
    }

    /** The sha256:... pin of the cluster CA, or null if the test never put a CA on the init host. */
    public synchronized String caCertHash() {
        return caCertHash;
    }

    synchronized void initialize(String endpoint, String localEndpoint) {
        initialized = true;
        controlPlaneEndpoint = endpoint == null ? "" : endpoint;
        if (!controlPlaneEndpoint.isEmpty()) {
            apiEndpoints.add(controlPlaneEndpoint);
        }
        apiEndpoints.add(localEndpoint);
    }

    synchronized boolean servesApiAt(String endpoint) {
        return apiEndpoints.contains(endpoint);
    }

    synchronized void addApiEndpoint(String endpoint) {
        apiEndpoints.add(endpoint);
    }

    synchronized void addToken(String token) {
        tokens.add(token);
    }

    synchronized void uploadCertificates(String key) {
        uploadedCertificateKey = key;
    }

    synchronized void caCertHash(String hash) {
        caCertHash = hash;
    }

    synchronized boolean addNode(String name) {
        if (nodes.contains(name)) {
            return false;
        }
        nodes.add(name);
        return true;
    }

    synchronized void removeNode(String name) {
        nodes.remove(name);
    }
}
