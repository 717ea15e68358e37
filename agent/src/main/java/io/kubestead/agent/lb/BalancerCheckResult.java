package io.kubestead.agent.lb;

import java.util.List;

/**
 * What {@link ExternalBalancerCheck} saw: how many TLS connections through the balancer reached this master, how
 * many reached another API server or something else, and what went wrong with the rest.
 */
public record BalancerCheckResult(String balancer, String thisMaster, int attempts, int reachedThisMaster,
                                  int reachedOther, List<String> problems) {

    public BalancerCheckResult {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return reachedThisMaster > 0;
    }

    /** One line when it works; otherwise what was seen plus what to check on the balancer. */
    public String message() {
        if (ok()) {
            return "load balancer " + balancer + " forwards to this master (" + thisMaster + "): "
                    + reachedThisMaster + " of " + attempts + " connections reached it";
        }
        StringBuilder b = new StringBuilder("load balancer " + balancer + " does not forward to this master's API server ("
                + thisMaster + "): " + attempts + " connection" + (attempts == 1 ? "" : "s") + ", none reached it");
        if (reachedOther > 0) {
            b.append(", ").append(reachedOther).append(" reached a server with another certificate");
        }
        b.append('.');
        for (String p : problems.stream().distinct().toList()) {
            b.append("\n  seen: ").append(p);
        }
        b.append("\nCheck the balancer:");
        b.append("\n  - TCP mode: it must pass TLS through at layer 4. An HTTP/HTTPS balancer that terminates TLS");
        b.append("\n    shows its own certificate, and clients then fail on the API server's certificate checks.");
        b.append("\n  - Targets and health check: this master's ").append(thisMaster)
                .append(" must be a target, and its health check");
        b.append("\n    (TCP connect to 6443, or HTTPS GET /readyz expecting 200) must pass; new targets may take a");
        b.append("\n    few check intervals to turn healthy.");
        b.append("\n  - Hairpinning: this master connects through the balancer to itself. Balancers that keep the");
        b.append("\n    client's source IP (e.g. AWS NLB with instance targets) drop such connections; register");
        b.append("\n    targets by IP or enable hairpin/loopback support.");
        return b.toString();
    }
}
