package io.kubestead.agent.preflight;

import io.kubestead.agent.host.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Runs the checks for a role, skipping the ones the user named; all failures are reported together. */
public final class Preflight {
    private final List<Check> checks;
    private final Set<String> ignore;

    public Preflight(List<Check> checks, Set<String> ignore) {
        this.checks = List.copyOf(checks);
        this.ignore = Set.copyOf(ignore);
        List<String> known = checks.stream().map(Check::name).toList();
        for (String name : ignore) {
            if (!known.contains(name)) {
                throw new io.kubestead.agent.spec.SpecException("word 'preflight-ignore': no check named '" + name
                        + "'; checks are " + String.join(", ", known));
            }
        }
    }

    public record Outcome(Check check, CheckResult result, boolean ignored) {
    }

    /** Runs every check, reporting each outcome; throws {@link PreflightException} if any failed and was not ignored. */
    public List<Outcome> run(Host host, Consumer<Outcome> report) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Check c : checks) {
            CheckResult r = c.run(host);
            Outcome o = new Outcome(c, r, ignore.contains(c.name()));
            outcomes.add(o);
            report.accept(o);
        }
        List<Outcome> failed = outcomes.stream()
                .filter(o -> o.result().status() == CheckResult.Status.FAIL && !o.ignored()).toList();
        if (!failed.isEmpty()) {
            StringBuilder sb = new StringBuilder("preflight failed: ");
            for (int i = 0; i < failed.size(); i++) {
                Outcome o = failed.get(i);
                sb.append(i == 0 ? "" : "; ").append(o.check().name()).append(": ").append(o.result().message());
            }
            sb.append(" (skip a check with preflight-ignore=NAME)");
            throw new PreflightException(sb.toString());
        }
        return outcomes;
    }
}
