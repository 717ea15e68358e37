package io.kubestead.agent.cli;

import io.kubestead.agent.console.ConsolePaths;
import io.kubestead.agent.console.ConsoleServer;
import io.kubestead.agent.console.ConsoleService;
import io.kubestead.agent.console.PasswordHash;
import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.spec.ConsoleSettings;
import io.kubestead.agent.spec.Shown;
import io.kubestead.agent.spec.SpecException;
import io.kubestead.agent.status.StatusCollector;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "console", mixinStandardHelpOptions = true,
        header = "Serve the web console on this master (run by kubestead-console), or set its password.",
        description = {"kubestead console [port=PORT]: serves the console over HTTPS (default port "
                + ConsoleSettings.DEFAULT_PORT + ") with a certificate",
            "  from the cluster CA; sign in with the console password or admin.conf's client certificate.",
            "kubestead console password [from-file=FILE]: sets a new password, FILE's first line, or a generated one",
            "  shown once. Only its salted hash is kept (" + ConsolePaths.PASSWORD_HASH + ", mode 0600)."})
final class ConsoleCommand implements Callable<Integer> {
    private final CliEnvironment env;

    @Parameters(arity = "0..*", paramLabel = "WORD")
    List<String> words = new ArrayList<>();

    ConsoleCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        boolean password = !words.isEmpty() && words.get(0).equals("password");
        List<String> rest = password ? words.subList(1, words.size()) : words;
        Optional<Path> file = Optional.empty();
        int port = ConsoleSettings.DEFAULT_PORT;
        for (String w : rest) {
            if (password && w.startsWith("from-file=") && w.length() > 10) {
                file = Optional.of(Path.of(w.substring(10)).toAbsolutePath());
            } else if (!password && w.startsWith("port=") && w.substring(5).matches("[0-9]{1,5}")
                    && Integer.parseInt(w.substring(5)) >= 1 && Integer.parseInt(w.substring(5)) <= 65535) {
                port = Integer.parseInt(w.substring(5));
            } else {
                throw new SpecException("console: unknown word " + Shown.quoted(w) + "; give "
                        + (password ? "from-file=FILE" : "port=PORT (1-65535), or the word password"));
            }
        }
        char[] chosen = null;
        if (file.isPresent()) {
            try {
                chosen = ConsoleSettings.password(file.get());
            } catch (SpecException e) {
                throw new SpecException("console password from-file=" + file.get() + ": " + e.getMessage());
            }
        }
        if (!env.root()) {
            env.err().println("kubestead: console reads the cluster's secrets and must run as root on a master; use sudo");
            return ExitCodes.FAILURE;
        }
        Host host = env.realHost().apply(new ActionLog());
        return password ? setPassword(host, chosen) : serve(host, port);
    }

    private int serve(Host host, int port) throws Exception {
        try (ConsoleServer server = ConsoleService.start(host, new InetSocketAddress(port), Optional.empty(),
                StatusCollector.LOCAL_ETCD, env.clock(), new SecureRandom(), env.err())) {
            env.out().println("console on https port " + server.address().getPort());
            env.out().flush();
            Thread.currentThread().join(); // until systemd stops the service
        }
        return 0;
    }

    private int setPassword(Host host, char[] chosen) {
        SecureRandom random = new SecureRandom();
        char[] password = chosen != null ? chosen : PasswordHash.generatePassword(random).toCharArray();
        try {
            host.mkdirs(ConsolePaths.DIR, 0700);
            host.writeString(ConsolePaths.PASSWORD_HASH, PasswordHash.create(password, random).encode(), 0600);
            host.delete(ConsolePaths.INITIAL_PASSWORD);
            if (chosen != null) {
                env.out().println("The console password is set; sessions signed in with the old one have ended.");
            } else if (env.terminal()) {
                env.out().println("New console password (shown this once): " + new String(password));
            } else {
                host.writeString(ConsolePaths.INITIAL_PASSWORD, new String(password) + "\n", 0600);
                env.out().println("New console password: in " + ConsolePaths.INITIAL_PASSWORD
                        + " (mode 0600; shown only on a terminal); delete the file once you have it");
            }
        } finally {
            Arrays.fill(password, '\0');
        }
        return 0;
    }
}
