package io.kubestead.agent.realcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What the kubelet does with static pods, for the components of a {@link NamespaceHost}: a manifest in the tree's
 * etc/kubernetes/manifests runs as a process with its command line; a manifest moved away stops it (SIGTERM, then
 * SIGKILL after the 30 s grace period, as for a pod); a changed manifest replaces it; a process that exits while its
 * manifest is there is started again after a second. The agent's stop/start by moving manifests meets the
 * behaviour it relies on. Only the named components are run.
 */
public final class TestKubelet implements AutoCloseable {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final NamespaceHost host;
    private final Path logs;
    private final Set<String> components;
    private final Map<String, Process> running = new HashMap<>();
    private final Map<String, byte[]> runningManifest = new HashMap<>();
    private final Map<String, Long> exitedAt = new HashMap<>();
    private final Thread loop;
    private volatile boolean stopped;
    /** How many processes it started per component (a restart counts). */
    private final Map<String, Integer> starts = new HashMap<>();

    public TestKubelet(NamespaceHost host, Path logs, Set<String> components) {
        this.host = host;
        this.logs = logs;
        this.components = Set.copyOf(components);
        loop = new Thread(this::run, "test-kubelet-" + host.name());
        loop.setDaemon(true);
        loop.start();
    }

    private void run() {
        while (!stopped) {
            for (String c : components) {
                try {
                    sync(c);
                } catch (RuntimeException | IOException e) {
                    System.err.println("test kubelet " + host.name() + " " + c + ": " + e);
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sync(String c) throws IOException {
        Path manifest = host.tree().resolve("etc/kubernetes/manifests/" + c + ".yaml");
        byte[] content = Files.exists(manifest) ? Files.readAllBytes(manifest) : null;
        Process p = running.get(c);
        boolean alive = p != null && p.isAlive();
        if (alive && (content == null || !Arrays.equals(content, runningManifest.get(c)))) {
            stop(p);
            running.remove(c);
            alive = false;
        }
        if (p != null && !p.isAlive() && !exitedAt.containsKey(c)) {
            exitedAt.put(c, System.nanoTime());
        }
        if (content != null && !alive) {
            Long exited = exitedAt.get(c);
            if (p != null && exited != null && System.nanoTime() - exited < TimeUnit.SECONDS.toNanos(1)
                    && Arrays.equals(content, runningManifest.get(c))) {
                return; // a crashed container is restarted after a pause
            }
            JsonNode pod = YAML.readTree(content);
            List<String> argv = new ArrayList<>();
            pod.path("spec").path("containers").path(0).path("command").forEach(n -> argv.add(n.asText()));
            running.put(c, host.start(argv, logs.resolve(host.name() + "-" + c + ".log")));
            runningManifest.put(c, content);
            exitedAt.remove(c);
            starts.merge(c, 1, Integer::sum);
        }
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public synchronized int starts(String component) {
        return starts.getOrDefault(component, 0);
    }

    /** Stops watching and kills what it runs (a host that is switched off). */
    @Override
    public void close() {
        stopped = true;
        loop.interrupt();
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            running.values().forEach(p -> p.destroyForcibly());
            for (Process p : running.values()) {
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            running.clear();
        }
    }
}
