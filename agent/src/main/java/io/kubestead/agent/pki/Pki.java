package io.kubestead.agent.pki;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.spec.SpecException;
import java.io.IOException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes sure a host has kubeadm's PKI and kubeconfigs: CAs reused (never replaced), valid leaves kept, leaves that
 * lack a SAN or no longer verify reissued with a backup, everything missing created. All inputs are checked
 * before the first file is written; all new keys are generated at once, in parallel.
 */
public final class Pki {
    private final KeyPool keys;
    private final CertIssuer issuer;

    public Pki(KeyPool keys, SecureRandom random) {
        this.keys = keys;
        this.issuer = new CertIssuer(random);
    }

    public static Pki create() {
        return new Pki(KeyPool.perCpu(), new SecureRandom());
    }

    public PkiResult ensure(Host host, PkiRequest req) {
        KubeadmProfile profile = new KubeadmProfile(req);
        List<CertSpec> leaves = profile.leaves();
        List<KubeconfigSpec> kubeconfigs = profile.kubeconfigs();

        // 1. Everything that can fail on input, before writing.
        Map<CaKind, CaPair> cas = new EnumMap<>(CaKind.class);
        Map<CaKind, ProvidedCa> toCopy = new EnumMap<>(CaKind.class);
        List<CaKind> toCreate = new ArrayList<>();
        Map<CaKind, KeyPair> orphanKeys = new EnumMap<>(CaKind.class);
        for (CaKind kind : CaKind.values()) {
            Optional<KeyPair> orphan = req.firstControlPlane() && !req.providedCas().containsKey(kind)
                    ? CaLoader.orphanKey(host, kind) : Optional.empty();
            if (orphan.isPresent()) {
                // an interrupted run wrote the CA's key and died before its certificate: nothing can have been
                // signed yet, so the pair is completed from that key rather than replaced
                orphanKeys.put(kind, orphan.get());
                toCreate.add(kind);
                continue;
            }
            Optional<CaPair> existing = CaLoader.existing(host, kind, req.now());
            ProvidedCa given = req.providedCas().get(kind);
            CaPair provided = given == null ? null : CaLoader.provided(kind, given, req.now());
            if (existing.isPresent()) {
                if (provided != null && !existing.get().cert().equals(provided.cert())) {
                    throw new SpecException(given.certSource() + " differs from the CA already at "
                            + PkiPaths.crt(kind.baseName()) + "; an existing CA is never replaced, remove the word or the old CA");
                }
                cas.put(kind, existing.get());
            } else if (provided != null) {
                cas.put(kind, provided);
                toCopy.put(kind, given);
            } else if (!req.firstControlPlane()) {
                throw new SpecException("a joining control plane needs the cluster's " + kind.kubeadmName() + " at "
                        + PkiPaths.crt(kind.baseName()) + " and its key; copy the shared CAs first");
            } else {
                toCreate.add(kind);
            }
        }
        Optional<KeyPair> sa = existingSaKey(host, req);

        // 2. Which leaves and kubeconfigs stay; new CAs invalidate everything they would have signed.
        Map<CertSpec, String> leafWork = new LinkedHashMap<>();
        for (CertSpec s : leaves) {
            Optional<String> p = cas.containsKey(s.issuer())
                    ? LeafStore.problem(host, s, cas.get(s.issuer()).cert(), req.now())
                    : Optional.of(host.exists(PkiPaths.crt(s.baseName())) ? "its CA is new" : LeafStore.ABSENT);
            p.ifPresent(reason -> leafWork.put(s, reason));
        }
        Map<KubeconfigSpec, String> kcWork = new LinkedHashMap<>();
        for (KubeconfigSpec k : kubeconfigs) {
            Optional<String> p = cas.containsKey(CaKind.CA)
                    ? KubeconfigStore.problem(host, k, cas.get(CaKind.CA).cert(), req.clusterName(), req.now())
                    : Optional.of(host.exists(PkiPaths.kubeconfig(k.fileName())) ? "its CA is new" : LeafStore.ABSENT);
            p.ifPresent(reason -> kcWork.put(k, reason));
        }

        // 3. All keys at once.
        int count = toCreate.size() - orphanKeys.size() + leafWork.size() + kcWork.size() + (sa.isPresent() ? 0 : 1);
        Iterator<KeyPair> fresh = keys.generate(req.keyAlgorithm(), count).iterator();

        // 4. Write: CAs first, then leaves, sa, kubeconfigs.
        List<FileOutcome> out = new ArrayList<>();
        host.mkdirs(PkiPaths.PKI_DIR + "/etcd", 0755);
        for (CaKind kind : CaKind.values()) {
            if (toCreate.contains(kind)) {
                KeyPair kp = orphanKeys.containsKey(kind) ? orphanKeys.get(kind) : fresh.next();
                X509Certificate cert = issuer.selfSignedCa(kind.commonName(), kp, req.now(), req.caValidity());
                cas.put(kind, new CaPair(kind, cert, kp.getPrivate()));
                out.addAll(LeafStore.write(host, kind.baseName(), cert, kp, LeafStore.ABSENT, req.now()));
            } else if (toCopy.containsKey(kind)) {
                ProvidedCa p = toCopy.get(kind);
                host.writeFile(PkiPaths.key(kind.baseName()), p.keyPem(), 0600);
                host.writeFile(PkiPaths.crt(kind.baseName()), p.certPem(), 0644);
                out.add(FileOutcome.created(PkiPaths.crt(kind.baseName()), "from " + p.certSource()));
                out.add(FileOutcome.created(PkiPaths.key(kind.baseName()), "from " + p.keySource()));
            } else {
                out.addAll(LeafStore.kept(kind.baseName()));
            }
        }
        for (CertSpec s : leaves) {
            String reason = leafWork.get(s);
            if (reason == null) {
                out.addAll(LeafStore.kept(s.baseName()));
                continue;
            }
            KeyPair kp = fresh.next();
            X509Certificate cert = issuer.leaf(s, kp.getPublic(), cas.get(s.issuer()), req.now(), req.certValidity());
            out.addAll(LeafStore.write(host, s.baseName(), cert, kp, reason, req.now()));
        }
        out.addAll(writeSa(host, sa.orElseGet(fresh::next), sa.isPresent()));
        CaPair ca = cas.get(CaKind.CA);
        for (KubeconfigSpec k : kubeconfigs) {
            String reason = kcWork.get(k);
            if (reason == null) {
                out.add(FileOutcome.kept(PkiPaths.kubeconfig(k.fileName())));
                continue;
            }
            KeyPair kp = fresh.next();
            CertSpec client = new CertSpec(k.fileName(), k.fileName(), k.commonName(), k.organizations(), CertUsage.CLIENT,
                    SubjectAltNames.NONE, CaKind.CA);
            X509Certificate cert = issuer.leaf(client, kp.getPublic(), ca, req.now(), req.certValidity());
            Kubeconfig kc = new Kubeconfig(req.clusterName(), k.server(), Pem.certificate(ca.cert()), k.commonName(),
                    Pem.certificate(cert), Pem.privateKey(kp), new VersionRules(req.version()).kubeconfigPreferences());
            out.add(KubeconfigStore.write(host, k.fileName(), kc, reason, req.now()));
        }
        return new PkiResult(out, CaHash.of(ca.cert()));
    }

    /**
     * Keeps one leaf if it is valid, signed by {@code ca} and carries every SAN of {@code spec}; otherwise issues it
     * anew from {@code ca}, keeping the old pair beside it as a backup. For address changes on a running node.
     */
    public List<FileOutcome> ensureLeaf(Host host, CertSpec spec, CaPair ca, KeyAlgorithm alg, java.time.Instant now,
                                        java.time.Duration validity) {
        Optional<String> problem = LeafStore.problem(host, spec, ca.cert(), now);
        if (problem.isEmpty()) {
            return LeafStore.kept(spec.baseName());
        }
        KeyPair kp = keys.generate(alg, 1).get(0);
        X509Certificate cert = issuer.leaf(spec, kp.getPublic(), ca, now, validity);
        return LeafStore.write(host, spec.baseName(), cert, kp, problem.get(), now);
    }

    private static Optional<KeyPair> existingSaKey(Host host, PkiRequest req) {
        Optional<byte[]> pem = host.readFile(PkiPaths.saKey());
        if (pem.isEmpty()) {
            if (!req.firstControlPlane()) {
                throw new SpecException("a joining control plane needs the cluster's " + PkiPaths.saKey() + "; copy it first");
            }
            return Optional.empty();
        }
        try {
            return Optional.of(Pem.keyPair(pem.get()));
        } catch (IOException | RuntimeException e) {
            throw new SpecException(PkiPaths.saKey() + " exists but is not a PKCS#1 or SEC1 private key ("
                    + e.getMessage() + "); fix or remove it");
        }
    }

    private static List<FileOutcome> writeSa(Host host, KeyPair sa, boolean existed) {
        List<FileOutcome> out = new ArrayList<>();
        if (existed) {
            out.add(FileOutcome.kept(PkiPaths.saKey()));
        } else {
            host.writeFile(PkiPaths.saKey(), Pem.privateKey(sa), 0600);
            out.add(FileOutcome.created(PkiPaths.saKey(), ""));
        }
        byte[] pub = Pem.publicKey(sa.getPublic());
        if (host.readFile(PkiPaths.saPub()).map(b -> Arrays.equals(b, pub)).orElse(false)) {
            out.add(FileOutcome.kept(PkiPaths.saPub()));
        } else {
            host.writeFile(PkiPaths.saPub(), pub, 0600);
            out.add(FileOutcome.created(PkiPaths.saPub(), existed ? "from existing sa.key" : ""));
        }
        return out;
    }
}
