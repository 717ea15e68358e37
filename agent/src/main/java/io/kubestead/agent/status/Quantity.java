package io.kubestead.agent.status;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ({@code 250m}, {@code 2}, {@code 0.5}, {@code 128Mi}, {@code 1G}, {@code 1e3}) as
 * millicores or bytes. A value that does not parse counts as 0: a request the API server accepted is well formed,
 * and status must not fail on one odd pod.
 */
final class Quantity {
    private static final Pattern FORM = Pattern.compile("^([+-]?[0-9]*\\.?[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$");
    private static final Map<String, BigDecimal> SUFFIX = Map.ofEntries(
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
            Map.entry("Pi", BigDecimal.valueOf(1L << 50)), Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
            Map.entry("n", new BigDecimal("1e-9")), Map.entry("u", new BigDecimal("1e-6")),
            Map.entry("m", new BigDecimal("1e-3")), Map.entry("k", new BigDecimal("1e3")),
            Map.entry("M", new BigDecimal("1e6")), Map.entry("G", new BigDecimal("1e9")),
            Map.entry("T", new BigDecimal("1e12")), Map.entry("P", new BigDecimal("1e15")),
            Map.entry("E", new BigDecimal("1e18")));

    private Quantity() {
    }

    static long millis(String quantity) {
        return scaled(quantity, BigDecimal.valueOf(1000));
    }

    static long bytes(String quantity) {
        return scaled(quantity, BigDecimal.ONE);
    }

    private static long scaled(String quantity, BigDecimal factor) {
        Matcher m = FORM.matcher(quantity == null ? "" : quantity.strip());
        if (!m.matches()) {
            return 0;
        }
        BigDecimal v = new BigDecimal(m.group(1));
        String suffix = m.group(2);
        if (suffix != null) {
            v = suffix.matches("[eE].*") ? v.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1))) : v.multiply(SUFFIX.get(suffix));
        }
        // the API server rounds fractions up (1.5m CPU is 2m), and so do we
        return v.multiply(factor).setScale(0, RoundingMode.CEILING).max(BigDecimal.ZERO).min(BigDecimal.valueOf(Long.MAX_VALUE)).longValueExact();
    }
}
