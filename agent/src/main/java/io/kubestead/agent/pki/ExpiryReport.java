package io.kubestead.agent.pki;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.spec.SpecException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What {@code kubeadm certs check-expiration} shows: leaf and kubeconfig certificates, then the CAs. */
public record ExpiryReport(List<Row> certificates, List<Row> authorities) {
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("MMM dd, yyyy HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** One line; {@code expires} is null for a missing file, {@code authority} is empty for a CA row. */
    public record Row(String name, Instant expires, long residualSeconds, String authority, boolean externallyManaged) {
        public boolean missing() {
            return expires == null;
        }

        public String residual() {
            return ExpiryReport.residual(Duration.ofSeconds(residualSeconds));
        }
    }

    public static ExpiryReport read(Host host, Instant now) {
        if (!host.exists(PkiPaths.crt(CaKind.CA.baseName()))) {
            throw new SpecException("no cluster PKI here: " + PkiPaths.crt(CaKind.CA.baseName()) + " is missing");
        }
        List<Row> certs = new ArrayList<>();
        for (CertInventory.Entry e : CertInventory.ENTRIES) {
            boolean external = !host.exists(PkiPaths.key(e.ca().baseName()));
            Optional<X509Certificate> c = ExistingCert.read(host, e);
            certs.add(c.map(x -> row(e.name(), x, e.ca().kubeadmName(), external, now))
                    .orElse(new Row(e.name(), null, 0, e.ca().kubeadmName(), external)));
        }
        List<Row> cas = new ArrayList<>();
        for (CaKind k : List.of(CaKind.CA, CaKind.ETCD, CaKind.FRONT_PROXY)) {
            boolean external = !host.exists(PkiPaths.key(k.baseName()));
            cas.add(ExistingCert.ca(host, k).map(x -> row(k.kubeadmName(), x, "", external, now))
                    .orElse(new Row(k.kubeadmName(), null, 0, "", external)));
        }
        return new ExpiryReport(certs, cas);
    }

    private static Row row(String name, X509Certificate c, String ca, boolean external, Instant now) {
        Instant exp = c.getNotAfter().toInstant();
        return new Row(name, exp, Duration.between(now, exp).getSeconds(), ca, external);
    }

    /** kubeadm's short human duration: 59m, 47h, 364d, 9y; "<invalid>" once expired. */
    static String residual(Duration d) {
        long s = d.getSeconds();
        if (s < 0) {
            return "<invalid>";
        }
        long h = s / 3600;
        return s < 60 ? s + "s" : s < 3600 ? s / 60 + "m" : h < 48 ? h + "h" : h < 24 * 365 * 2 ? h / 24 + "d" : h / 24 / 365 + "y";
    }

    public String table() {
        StringBuilder b = new StringBuilder();
        String f = "%-25s %-25s %-15s %-24s %s%n";
        b.append(String.format(f, "CERTIFICATE", "EXPIRES", "RESIDUAL TIME", "CERTIFICATE AUTHORITY", "EXTERNALLY MANAGED"));
        for (Row r : certificates) {
            b.append(r.missing() ? String.format("!MISSING! %s%n", r.name())
                    : String.format(f, r.name(), WHEN.format(r.expires()), r.residual(), r.authority(), yesNo(r)));
        }
        b.append(System.lineSeparator());
        String g = "%-25s %-25s %-15s %s%n";
        b.append(String.format(g, "CERTIFICATE AUTHORITY", "EXPIRES", "RESIDUAL TIME", "EXTERNALLY MANAGED"));
        for (Row r : authorities) {
            b.append(r.missing() ? String.format("!MISSING! %s%n", r.name())
                    : String.format(g, r.name(), WHEN.format(r.expires()), r.residual(), yesNo(r)));
        }
        return b.toString();
    }

    /** The shape of kubeadm's {@code -o json}: kind CertificateExpirationInfo, residualTime in seconds. */
    public String json() {
        var m = new com.fasterxml.jackson.databind.ObjectMapper();
        var root = m.createObjectNode();
        root.put("kind", "CertificateExpirationInfo");
        root.put("apiVersion", "output.kubeadm.k8s.io/v1alpha3");
        fill(root.putArray("certificates"), certificates);
        fill(root.putArray("certificateAuthorities"), authorities);
        try {
            return m.writerWithDefaultPrettyPrinter().writeValueAsString(root) + System.lineSeparator();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void fill(com.fasterxml.jackson.databind.node.ArrayNode array, List<Row> rows) {
        for (Row r : rows) {
            var o = array.addObject();
            o.put("name", r.name());
            if (!r.missing()) {
                o.put("expirationDate", r.expires().toString());
                o.put("residualTime", Math.max(0, r.residualSeconds()));
            }
            if (!r.authority().isEmpty()) {
                o.put("caName", r.authority());
            }
            o.put("externallyManaged", r.externallyManaged());
            o.put("missing", r.missing());
        }
    }

    private static String yesNo(Row r) {
        return r.externallyManaged() ? "yes" : "no";
    }
}
