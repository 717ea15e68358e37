package io.kubestead.agent.lb;

import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.host.HostException;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The local balancer before kubelet runs static pods (init and join need the API through it first). Started on the
 * host from the same haproxy.cfg the static pod uses: the haproxy program when the host has it, else the pinned image
 * through {@code ctr} (the image must already be imported into containerd's k8s.io namespace).
 *
 * <p>Hand-over: stop it after kubeadm init/join, then write the static pod manifest
 * ({@link NodeBalancer#apply}); kubelet sees the file at once and starts the pod, so the node is without its
 * balancer for about the time a container takes to start. They must not overlap: HAProxy binds with SO_REUSEPORT,
 * which the kernel shares only between sockets of the same user, and the image runs as its own user; a static pod
 * that cannot bind would crash-loop into kubelet's back-off. (Nor may the manifest exist before kubeadm: its
 * preflight wants /etc/kubernetes/manifests empty.)
 */
public final class BootstrapBalancer {
    static final String CONTAINER = "kubestead-bootstrap-lb";
    private static final String CTR_MARK = "ctr";
    private final Host host;
    private final LbPaths paths;
    private final String image;

    public BootstrapBalancer(Host host, LbPaths paths, String image) {
        this.host = host;
        this.paths = paths;
        this.image = image;
    }

    /** Starts it, or reloads it if it already runs (reruns are safe). Returns "haproxy" or "ctr". */
    public String start() {
        if (running()) {
            reload();
            return usesCtr() ? "ctr" : "haproxy";
        }
        String pidDir = paths.bootstrapPidFile().substring(0, paths.bootstrapPidFile().lastIndexOf('/'));
        host.mkdirs(pidDir, 0755);
        if (hasHaproxy()) {
            host.run("haproxy", "-c", "-q", "-f", paths.haproxyConfig()).check();
            host.run("haproxy", "-D", "-f", paths.haproxyConfig(), "-p", paths.bootstrapPidFile()).check();
            return "haproxy";
        }
        host.run(Command.of("ctr", "-n", "k8s.io", "run", "-d", "--net-host",
                "--mount", "type=bind,src=" + paths.haproxyDir() + ",dst=/usr/local/etc/haproxy,options=rbind:ro",
                image, CONTAINER, "haproxy", "-W", "-db", "-f", "/usr/local/etc/haproxy/haproxy.cfg")).check();
        host.writeString(paths.bootstrapPidFile(), CTR_MARK + "\n", 0644);
        return "ctr";
    }

    /** Re-reads haproxy.cfg without dropping the listening socket. */
    public void reload() {
        if (usesCtr()) {
            // master-worker mode reloads on SIGUSR2
            host.run("ctr", "-n", "k8s.io", "task", "kill", "-s", "SIGUSR2", CONTAINER).check();
            return;
        }
        List<String> pids = livePids();
        host.run("haproxy", "-c", "-q", "-f", paths.haproxyConfig()).check();
        List<String> argv = new java.util.ArrayList<>(List.of("haproxy", "-D", "-f", paths.haproxyConfig(),
                "-p", paths.bootstrapPidFile()));
        if (!pids.isEmpty()) {
            argv.add("-sf"); // the new process asks the old ones to finish their connections and leave
            argv.addAll(pids);
        }
        host.run(Command.of(argv)).check();
    }

    /** Stops it and waits until it is gone; no error if it does not run. */
    public void stop() {
        if (usesCtr()) {
            host.run("ctr", "-n", "k8s.io", "task", "kill", "-s", "SIGTERM", CONTAINER);
            host.run(Command.of("ctr", "-n", "k8s.io", "task", "delete", "-f", CONTAINER).withTimeout(Duration.ofSeconds(30)));
            host.run("ctr", "-n", "k8s.io", "container", "delete", CONTAINER);
        } else {
            List<String> pids = livePids();
            for (String pid : pids) {
                host.run("kill", "-TERM", pid);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (pids.stream().anyMatch(this::alive)) {
                if (System.nanoTime() > deadline) {
                    pids.forEach(pid -> host.run("kill", "-KILL", pid));
                    break;
                }
                sleep(50);
            }
        }
        host.delete(paths.bootstrapPidFile());
    }

    public boolean running() {
        if (usesCtr()) {
            ExecResult r = host.run("ctr", "-n", "k8s.io", "task", "ls");
            return r.ok() && r.stdout().lines().anyMatch(l -> l.startsWith(CONTAINER + " ") && l.contains("RUNNING"));
        }
        return !livePids().isEmpty();
    }

    private boolean usesCtr() {
        return host.readString(paths.bootstrapPidFile()).map(s -> s.strip().equals(CTR_MARK)).orElse(false);
    }

    private List<String> livePids() {
        Optional<String> text = host.readString(paths.bootstrapPidFile());
        return text.map(t -> t.lines().map(String::strip).filter(s -> s.matches("\\d+")).filter(this::alive).toList())
                .orElse(List.of());
    }

    /** A live haproxy with that pid: a stale pid file must not make us signal whatever reuses the number. */
    private boolean alive(String pid) {
        return host.readString("/proc/" + pid + "/comm").map(c -> c.strip().equals("haproxy")).orElse(false);
    }

    private boolean hasHaproxy() {
        return host.run("sh", "-c", "command -v haproxy").ok();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException("interrupted while stopping the bootstrap balancer", e);
        }
    }
}
