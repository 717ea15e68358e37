package io.kubestead.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.join.JoinCommands;
import io.kubestead.agent.join.JoinScriptIssuer;
import io.kubestead.agent.kubeadm.HostKubeadm;
import io.kubestead.agent.spec.InstallSpec;
import io.kubestead.agent.spec.InstallSpecJson;
import io.kubestead.agent.spec.SpecException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "join-script", aliases = "node-join-script", mixinStandardHelpOptions = true,
        header = "Make a fresh join command for a master or a worker.",
        description = {"Makes a fresh join command for a master or a worker, on any master: a new bootstrap token and,",
            "for masters, the control-plane certificates uploaded again under a new key. Writes",
            "/var/lib/kubestead/join-master.sh or join-worker.sh (mode 0600) and prints the command.",
            "Replicated's form works too: node-join-script --master | --worker."})
final class JoinScriptCommand implements Callable<Integer> {
    private final CliEnvironment env;

    @Parameters(arity = "0..1", paramLabel = "ROLE", description = "master or worker")
    String role;

    @Option(names = "--master", description = "same as ROLE master")
    boolean master;

    @Option(names = "--worker", description = "same as ROLE worker")
    boolean worker;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text (default) or json")
    String output;

    JoinScriptCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        boolean forMaster = resolveRole();
        if (!output.equals("text") && !output.equals("json")) {
            throw new SpecException("-o " + output + ": give text or json");
        }
        if (!env.root()) {
            env.err().println("kubestead: join-script reads the cluster's secrets and must run as root on a master; use sudo");
            return ExitCodes.FAILURE;
        }
        Host host = env.realHost().apply(new ActionLog());
        try (HostSession session = HostSession.lock(env, host, "join-script")) {
            return issue(host, forMaster);
        }
    }

    private int issue(Host host, boolean forMaster) throws Exception {
        InstallSpec spec = InstallSpecJson.read(host.readFile(InstallSpecJson.PATH).orElseThrow(
                () -> new IllegalStateException("no /etc/kubestead/install.json here: run join-script on a master that"
                        + " Kubestead installed or joined")));
        if (forMaster && !spec.ha()) {
            env.err().println("kubestead: this cluster was installed without 'ha', so it cannot take more masters yet;"
                    + " rerun 'kubestead install ha' (with the original words) on the first master first");
            return ExitCodes.FAILURE;
        }
        JoinCommands commands = new JoinScriptIssuer(host, new HostKubeadm(host), new SecureRandom(), env.clock())
                .issue(spec, forMaster);
        String script = forMaster ? JoinCommands.MASTER_SCRIPT : JoinCommands.WORKER_SCRIPT;
        if (output.equals("json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("role", forMaster ? "master" : "worker");
            m.put("command", commands.command(forMaster));
            m.put("expires", commands.expires(forMaster).toString());
            m.put("script", script);
            env.out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        } else {
            env.out().println("Run this on the new " + (forMaster ? "master" : "worker") + " (valid until "
                    + commands.expires(forMaster) + "; also in " + script + "):");
            env.out().println(commands.command(forMaster));
        }
        return 0;
    }


    private boolean resolveRole() {
        int given = (role == null ? 0 : 1) + (master ? 1 : 0) + (worker ? 1 : 0);
        if (given != 1) {
            throw new SpecException("join-script needs exactly one role: 'master' or 'worker' (or --master / --worker)");
        }
        if (role != null && !role.equals("master") && !role.equals("worker")) {
            throw new SpecException("join-script role '" + role + "': give master or worker");
        }
        return master || "master".equals(role);
    }
}
