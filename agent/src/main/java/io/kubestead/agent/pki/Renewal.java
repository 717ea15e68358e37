package io.kubestead.agent.pki;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.spec.SpecException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * {@code certs renew NAME|all}, as kubeadm does it: unconditional, a new key of the same type, subject and SANs
 * taken from the existing certificate, signed by the local CA. CAs are never renewed; certificates whose CA key
 * is absent (externally managed) are skipped by {@code all} and refused by name.
 */
public final class Renewal {
    private final KeyPool keys;
    private final CertIssuer issuer;

    public Renewal(KeyPool keys, CertIssuer issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    public List<FileOutcome> renew(Host host, String name, Instant now, Duration validity) {
        if (!host.exists(PkiPaths.crt(CaKind.CA.baseName()))) {
            throw new SpecException("no cluster PKI here: " + PkiPaths.crt(CaKind.CA.baseName()) + " is missing");
        }
        boolean all = name.equals("all");
        List<CertInventory.Entry> targets = all ? CertInventory.ENTRIES : List.of(CertInventory.find(name).orElseThrow(() ->
                new SpecException("'" + name + "' is not a renewable certificate; use all or one of "
                        + String.join(", ", CertInventory.names()) + " (CAs are never renewed)")));
        // Read and check everything first, so a problem leaves the tree untouched.
        List<CertInventory.Entry> todo = new ArrayList<>();
        List<X509Certificate> old = new ArrayList<>();
        List<CaPair> signers = new ArrayList<>();
        for (CertInventory.Entry e : targets) {
            Optional<X509Certificate> cert = ExistingCert.read(host, e);
            if (cert.isEmpty()) {
                if (all) {
                    continue;
                }
                throw new SpecException(e.path() + " does not exist; nothing to renew");
            }
            Optional<CaPair> ca = host.exists(PkiPaths.key(e.ca().baseName())) ? CaLoader.existing(host, e.ca(), now)
                    : Optional.empty();
            if (ca.isEmpty()) {
                if (all) {
                    continue;
                }
                throw new SpecException(e.name() + " is signed by an externally managed " + e.ca().kubeadmName()
                        + " (no key at " + PkiPaths.key(e.ca().baseName()) + "); renew it where that CA is kept");
            }
            todo.add(e);
            old.add(cert.get());
            signers.add(ca.get());
        }
        List<KeyPair> fresh = keys.generate(old.stream().map(c -> KeyAlgorithm.of(c.getPublicKey())).toList());
        List<FileOutcome> out = new ArrayList<>();
        for (int i = 0; i < todo.size(); i++) {
            X509Certificate c = old.get(i);
            KeyPair kp = fresh.get(i);
            X509Certificate renewed = issuer.leaf(X500Name.getInstance(c.getSubjectX500Principal().getEncoded()),
                    CertChecks.usage(c), CertChecks.sans(c), kp.getPublic(), signers.get(i), now, validity);
            out.addAll(write(host, todo.get(i), renewed, kp, signers.get(i)));
        }
        return out;
    }

    /**
     * The API server certificate on this master with extra SANs (a new balancer's name or address), reissued from
     * the local CA with the same subject and usages, the old pair kept as a backup. Nothing changes when it
     * already carries them.
     */
    public List<FileOutcome> addApiServerSans(Host host, List<String> extra, Instant now) {
        CertInventory.Entry e = CertInventory.find("apiserver").orElseThrow();
        X509Certificate old = ExistingCert.read(host, e).orElseThrow(() -> new SpecException(e.path()
                + " does not exist: is this a master?"));
        SubjectAltNames wanted = SubjectAltNames.of(extra, "load balancer");
        List<String> missing = CertChecks.sans(old).missing(wanted);
        if (missing.isEmpty()) {
            return LeafStore.kept(e.baseName());
        }
        CaPair ca = CaLoader.existing(host, CaKind.CA, now).orElseThrow(() -> new SpecException(
                "no cluster CA key on this host to sign the new API server certificate"));
        KeyPair kp = keys.generate(List.of(KeyAlgorithm.of(old.getPublicKey()))).get(0);
        // the same lifetime the certificate was made with (cert-validity-days), not a default
        Duration validity = Duration.between(old.getNotBefore().toInstant(), old.getNotAfter().toInstant()).minusMinutes(5);
        X509Certificate cert = issuer.leaf(X500Name.getInstance(old.getSubjectX500Principal().getEncoded()),
                CertChecks.usage(old), CertChecks.sans(old).plus(wanted), kp.getPublic(), ca, now, validity);
        return LeafStore.write(host, e.baseName(), cert, kp, "missing SAN " + String.join(", ", missing), now);
    }

    private static List<FileOutcome> write(Host host, CertInventory.Entry e, X509Certificate cert, KeyPair kp, CaPair ca) {
        if (!e.inKubeconfig()) {
            host.writeFile(PkiPaths.key(e.baseName()), Pem.privateKey(kp), 0600);
            host.writeFile(PkiPaths.crt(e.baseName()), Pem.certificate(cert), 0644);
            return List.of(FileOutcome.reissued(PkiPaths.crt(e.baseName()), "renewed", null),
                    FileOutcome.reissued(PkiPaths.key(e.baseName()), "renewed", null));
        }
        try {
            Kubeconfig old = Kubeconfig.parse(host.readFile(e.path()).orElseThrow());
            Kubeconfig kc = new Kubeconfig(old.clusterName(), old.server(), Pem.certificate(ca.cert()), old.userName(),
                    Pem.certificate(cert), Pem.privateKey(kp), old.preferences());
            host.writeString(e.path(), kc.render(), 0600);
            return List.of(FileOutcome.reissued(e.path(), "renewed", null));
        } catch (java.io.IOException ex) {
            throw new SpecException(e.path() + " is not a readable kubeconfig (" + ex.getMessage() + ")");
        }
    }
}
