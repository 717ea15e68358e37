package io.kubestead.agent.pki;

import io.kubestead.agent.host.Host;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/** Kubeconfigs on a host: kept when CA, server, identity and client certificate still fit, else rewritten. */
public final class KubeconfigStore {
    private KubeconfigStore() {
    }

    public static Optional<String> problem(Host host, KubeconfigSpec spec, X509Certificate ca, String clusterName,
                                           Instant now) {
        Optional<byte[]> raw = host.readFile(PkiPaths.kubeconfig(spec.fileName()));
        if (raw.isEmpty()) {
            return Optional.of(LeafStore.ABSENT);
        }
        try {
            if (spec.fileName().equals("kubelet.conf") && Kubeconfig.clientCertificateFile(raw.get()).isPresent()) {
                // the kubelet has taken over its client certificate (rotation); its credentials are its own
                return Optional.empty();
            }
            Kubeconfig kc = Kubeconfig.parse(raw.get());
            X509Certificate kcCa = Pem.certificate(kc.caPem());
            if (!Arrays.equals(kcCa.getEncoded(), ca.getEncoded())) {
                return Optional.of("embedded CA differs from ca.crt");
            }
            if (!kc.server().equals(spec.server())) {
                return Optional.of("server " + kc.server() + " is now " + spec.server());
            }
            if (!kc.clusterName().equals(clusterName)) {
                return Optional.of("cluster name " + kc.clusterName() + " is now " + clusterName);
            }
            X509Certificate cert = Pem.certificate(kc.certPem());
            if (!cert.getSubjectX500Principal().equals(CertIssuer.nameAsPrincipal(spec.commonName(), spec.organizations()))) {
                return Optional.of("client identity " + cert.getSubjectX500Principal().getName() + " differs");
            }
            if (!CertChecks.signedBy(cert, ca)) {
                return Optional.of("client certificate not signed by ca");
            }
            if (!CertChecks.matches(Pem.privateKey(kc.keyPem()), cert.getPublicKey())) {
                return Optional.of("client key does not match certificate");
            }
            return CertChecks.validityProblem(cert, now);
        } catch (Exception e) {
            return Optional.of("unreadable: " + e.getMessage());
        }
    }

    public static FileOutcome write(Host host, String fileName, Kubeconfig kc, String problem, Instant now) {
        String path = PkiPaths.kubeconfig(fileName);
        boolean reissue = !LeafStore.ABSENT.equals(problem);
        String backup = reissue ? Backups.keep(host, path, now) : null;
        host.writeString(path, kc.render(), 0600);
        return reissue ? FileOutcome.reissued(path, problem, backup) : FileOutcome.created(path, "");
    }
}
