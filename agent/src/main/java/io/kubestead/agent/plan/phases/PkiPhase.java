package io.kubestead.agent.plan.phases;

import io.kubestead.agent.kubeadm.ClusterSettings;
import io.kubestead.agent.kubeadm.InstallSettings;
import io.kubestead.agent.pki.CaKind;
import io.kubestead.agent.pki.KeyAlgorithm;
import io.kubestead.agent.pki.Pki;
import io.kubestead.agent.pki.PkiRequest;
import io.kubestead.agent.pki.PkiResult;
import io.kubestead.agent.pki.ProvidedCa;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.spec.InstallSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster PKI and kubeconfigs in kubeadm's layout, made by the agent so kubeadm finds valid files in place.
 * An existing CA is always reused; a leaf missing a SAN it now needs is reissued with a backup of the old pair.
 */
final class PkiPhase implements Phase {
    private final InstallSpec spec;

    PkiPhase(InstallSpec spec) {
        this.spec = spec;
    }

    @Override
    public String id() {
        return "pki";
    }

    @Override
    public String title() {
        return "Make the cluster certificates and kubeconfigs";
    }

    @Override
    public boolean done(PhaseContext ctx) {
        return ctx.host().exists("/etc/kubernetes/pki/ca.crt") && ctx.host().exists("/etc/kubernetes/pki/apiserver.crt")
                && ctx.host().exists("/etc/kubernetes/admin.conf");
    }

    static PkiRequest request(InstallSpec spec, java.time.Instant now) {
        ClusterSettings cluster = InstallSettings.cluster(spec);
        // the same SANs kubeadm's config lists, so kubeadm accepts the certificate as it is
        List<String> sans = new ArrayList<>(cluster.certSans());
        sans.add(spec.privateAddress());
        spec.publicAddressValue().ifPresent(sans::add);
        Map<CaKind, ProvidedCa> provided = new EnumMap<>(CaKind.class);
        for (CaKind kind : CaKind.values()) {
            Path cert = spec.providedCas().get(kind.certWord());
            Path key = spec.providedCas().get(kind.keyWord());
            if (cert != null && key != null) {
                provided.put(kind, ProvidedCa.fromFiles(kind, cert, key));
            }
        }
        return new PkiRequest(spec.clusterName(), spec.nodeName(), spec.privateAddress(),
                spec.controlPlaneEndpoint().toString(), spec.apiServerPort(), spec.serviceCidr().toString(),
                spec.dnsDomain(), sans.stream().distinct().toList(), spec.kubernetesVersion(),
                KeyAlgorithm.fromWord(spec.keyAlgorithm()), Duration.ofDays(spec.caValidityDays()),
                Duration.ofDays(spec.certValidityDays()), provided, true, now);
    }

    /** The CAs the words bring, read and checked before the first phase changes anything. */
    @Override
    public void validate(PhaseContext ctx) {
        if (!spec.providedCas().isEmpty()) {
            Pki.checkProvided(ctx.host(), request(spec, ctx.clock().instant()));
        }
    }

    @Override
    public void run(PhaseContext ctx) {
        PkiResult result = Pki.create().ensure(ctx.host(), request(spec, ctx.clock().instant()));
        long created = result.files().stream().filter(f -> f.status().name().equals("CREATED")).count();
        long kept = result.files().stream().filter(f -> f.status().name().equals("KEPT")).count();
        ctx.progress().info(created + " files created, " + kept + " kept; CA " + result.caHash());
        result.changed().stream().filter(f -> f.status().name().equals("REISSUED"))
                .forEach(f -> ctx.progress().info(f.line()));
    }
}
