package io.kubestead.agent.join;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpiredCredentialsTest {
    static final String MASTER = "the join token or certificate key has expired; run 'kubestead join-script master' "
            + "on a master and use the new command";
    static final String WORKER = "the join token has expired; run 'kubestead join-script worker' on a master and use "
            + "the new command";

    /** Lines as kubeadm prints them (from kubeadm's sources and user reports). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[discovery] Failed to connect to API Server \"10.0.0.10:6443\": token id \"uhcqg1\" is invalid for this cluster or it has expired. Use \"kubeadm token create\" on the control-plane node to create a new valid token|MASTER|expired",
        "error execution phase preflight: couldn't validate the identity of the API Server: could not find a JWS signature in the cluster-info ConfigMap for token ID \"abcdef\"|WORKER|expired",
        "failed to verify JWS signature of received cluster info object, can't trust this API Server|WORKER|expired",
        "error execution phase kubelet-start: error uploading crisocket: Unauthorized|WORKER|expired",
        "error execution phase control-plane-prepare/download-certs: error downloading certs: error downloading the secret: Secret \"kubeadm-certs\" was not found in the \"kube-system\" Namespace. This Secret might have expired.|MASTER|expired",
        "error downloading the secret: secrets \"kubeadm-certs\" is forbidden: User \"system:bootstrap:ja3yw2\" cannot get resource \"secrets\"|MASTER|expired",
        "error execution phase control-plane-prepare/download-certs: error downloading certs: error decoding secret data with provided key: cipher: message authentication failed|MASTER|expired",
        "error decoding certificate key: encoding/hex: invalid byte: U+0078 'x'|MASTER|expired",
        "secrets \"kubeadm-certs\" is forbidden|WORKER|other",
        "[preflight] Some fatal errors occurred: [ERROR Port-10250]: Port 10250 is in use|MASTER|other",
        "error execution phase preflight: unable to fetch the kubeadm-config ConfigMap: connection refused|MASTER|other",
        "x509: certificate signed by unknown authority (possibly because of \"crypto/rsa: verification error\")|MASTER|other",
        "error execution phase control-plane-prepare/download-certs: couldn't validate the identity of the API Server: cluster CA found in cluster-info ConfigMap is invalid: none of the public keys \"sha256:0dc6cd3ae5cb1c2bf35bb17b380b066ec7b694d56d043514d9ba5a7c781841b0\" are pinned|MASTER|other",
        "error execution phase preflight: couldn't validate the identity of the API Server: failed to request the cluster-info ConfigMap: connection refused|WORKER|other"
    })
    void mapsExpiredTokenAndKeyErrorsOnly(String output, ExpiredCredentials.Role role, String expected) {
        Optional<String> message = ExpiredCredentials.explain(output, role);
        assertEquals(expected.equals("expired")
                ? Optional.of(role == ExpiredCredentials.Role.MASTER ? MASTER : WORKER) : Optional.empty(), message);
    }
}
