package io.kubestead.agent.realcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubestead.agent.etcd.PemTls;
import io.kubestead.agent.host.ExecResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real control plane on a dry-run tree: kubeadm writes the static pod manifests ({@code init phase etcd local},
 * {@code init phase control-plane all}) inside the {@link NamespaceHost}, and each component then runs there as a
 * plain process with exactly the command line of its manifest (only the program name is resolved to the upstream
 * binary). Ready when the API server's /readyz answers 200 over TLS verified against the tree's CA.
 */
public final class RealControlPlane {
    public static final List<String> COMPONENTS = List.of("etcd", "kube-apiserver", "kube-controller-manager",
            "kube-scheduler");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final NamespaceHost host;
    private final Path logs;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, List<String>> commands = new LinkedHashMap<>();
    private Duration startup;

    public RealControlPlane(NamespaceHost host, Path logs) {
        this.host = host;
        this.logs = logs;
    }

    /** kubeadm's manifests for the control plane, written into the tree from its init configuration. */
    public void writeManifests(String initConfig) {
        for (String phase : List.of("etcd local", "control-plane all")) {
            List<String> argv = new ArrayList<>(List.of("kubeadm", "init", "phase"));
            argv.addAll(List.of(phase.split(" ")));
            argv.addAll(List.of("--config", initConfig));
            check(host.run(Duration.ofMinutes(2), argv.toArray(String[]::new)));
        }
    }

    /** The command line of a component's static pod manifest, as kubeadm wrote it. */
    public List<String> command(String component) {
        Path manifest = host.tree().resolve("etc/kubernetes/manifests/" + component + ".yaml");
        try {
            JsonNode pod = YAML.readTree(manifest.toFile());
            List<String> argv = new ArrayList<>();
            pod.path("spec").path("containers").path(0).path("command").forEach(n -> argv.add(n.asText()));
            if (argv.isEmpty()) {
                throw new IllegalStateException(manifest + " has no command");
            }
            return argv;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the four components from their manifests and waits until the API server is ready. */
    public void start(Duration timeout) throws InterruptedException {
        long began = System.nanoTime();
        for (String component : COMPONENTS) {
            List<String> argv = command(component);
            commands.put(component, argv);
            processes.put(component, host.start(argv, logs.resolve(component + ".log")));
        }
        awaitReady(timeout);
        startup = Duration.ofNanos(System.nanoTime() - began);
    }

    /** From starting the processes to the first ready answer. */
    public Duration startup() {
        return startup;
    }

    public URI apiServer() {
        return URI.create("https://" + host.address() + ":6443");
    }

    public String caPem() {
        try {
            return Files.readString(host.tree().resolve("etc/kubernetes/pki/ca.crt"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().sslContext(PemTls.trusting(caPem())).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            for (var e : processes.entrySet()) {
                if (!e.getValue().isAlive()) {
                    throw new IllegalStateException(e.getKey() + " exited " + e.getValue().exitValue() + ": "
                            + logTail(e.getKey()));
                }
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(apiServer().resolve("/readyz"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + r.statusCode() + ": " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the API server was not ready after " + timeout.toSeconds() + " s (" + last
                + "); kube-apiserver log: " + logTail("kube-apiserver") + "\netcd log: " + logTail("etcd"));
    }

    /** The last lines of a component's output, for failure messages. */
    public String logTail(String component) {
        try {
            List<String> lines = Files.readAllLines(logs.resolve(component + ".log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The components whose process has exited. */
    public List<String> stopped() {
        return processes.entrySet().stream().filter(e -> !e.getValue().isAlive()).map(Map.Entry::getKey).toList();
    }

    static ExecResult check(ExecResult r) {
        if (!r.ok()) {
            throw new IllegalStateException("'" + String.join(" ", r.command().argv()) + "' exited " + r.exitCode()
                    + ":\n" + r.stdout() + r.stderr());
        }
        return r;
    }
}
