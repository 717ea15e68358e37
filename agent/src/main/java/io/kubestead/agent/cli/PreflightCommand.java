package io.kubestead.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.preflight.Checks;
import io.kubestead.agent.preflight.Preflight;
import io.kubestead.agent.preflight.PreflightException;
import io.kubestead.agent.preflight.Role;
import io.kubestead.agent.spec.InstallSpec;
import io.kubestead.agent.spec.InstallSpecParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "preflight", mixinStandardHelpOptions = true, header = "Run the preflight checks alone.",
        description = "Runs the preflight checks alone, changing nothing. Takes the same words as install.")
final class PreflightCommand implements Callable<Integer> {
    private final CliEnvironment env;

    @Option(names = "--role", description = "master (default) or worker", defaultValue = "master")
    String role;

    @Option(names = {"-o", "--output"}, description = "text (default) or json", defaultValue = "text")
    String output;

    @Parameters(arity = "0..*", paramLabel = "WORD", description = "install words (see 'kubestead install --help')")
    List<String> words = new ArrayList<>();

    PreflightCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        Role r = switch (role) {
            case "master" -> Role.MASTER;
            case "worker" -> Role.WORKER;
            default -> throw new io.kubestead.agent.spec.SpecException("--role=" + role + ": give master or worker");
        };
        if (!output.equals("text") && !output.equals("json")) {
            throw new io.kubestead.agent.spec.SpecException("-o " + output + ": give text or json");
        }
        List<String> filtered = words.stream().filter(w -> !w.equals("yes")).toList();
        InstallSpec spec = new InstallSpecParser(env.facts().hostName(), env.facts().primaryAddress(),
                env.workingDir(), io.kubestead.agent.spec.Prompter.NONE).parse(append(filtered, "yes"));
        Host host = env.realHost().apply(new ActionLog());
        Preflight preflight = new Preflight(Checks.forRole(r, spec.nodeName(), spec.kubernetesVersion()), spec.preflightIgnore());
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            preflight.run(host, o -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("check", o.check().name());
                row.put("status", o.ignored() && o.result().status().name().equals("FAIL") ? "IGNORED" : o.result().status().name());
                row.put("message", o.result().message());
                rows.add(row);
                if (output.equals("text")) {
                    env.out().printf("%-16s %-7s %s%n", o.check().name(), row.get("status"), o.result().message());
                }
            });
        } catch (PreflightException e) {
            printJson(rows);
            throw e;
        }
        printJson(rows);
        return 0;
    }

    private void printJson(List<Map<String, Object>> rows) throws Exception {
        if (output.equals("json")) {
            env.out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
        }
    }

    private static List<String> append(List<String> list, String word) {
        List<String> out = new ArrayList<>(list);
        out.add(word);
        return out;
    }
}
