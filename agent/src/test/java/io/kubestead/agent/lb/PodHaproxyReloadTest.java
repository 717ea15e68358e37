package io.kubestead.agent.lb;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.ProcessRunner;
import io.kubestead.agent.host.RootedHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The static pod's HAProxy follows a change of the masters by a reload, not a restart: its manifest stays as it is,
 * and the running process gets SIGUSR2. Run for real: haproxy with the pod's command line, in a mount namespace
 * where the pod's configuration path is this test's directory, and connections through it all along.
 */
class PodHaproxyReloadTest {
    @TempDir
    Path dir;
    private final List<StandInApiServer> servers = new ArrayList<>();
    private Process haproxy;

    @AfterEach
    void tearDown() throws Exception {
        if (haproxy != null) {
            haproxy.descendants().forEach(ProcessHandle::destroyForcibly);
            haproxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        servers.forEach(StandInApiServer::stop);
    }

    @Test
    void aChangeOfMastersReloadsTheRunningPodHaproxyWithoutRefusingAConnection() throws Exception {
        TestPki pki = new TestPki("kubernetes");
        for (String id : List.of("m1", "m2")) {
            servers.add(new StandInApiServer(id, pki.apiserver(id).serverContext(pki.ca())).start());
        }
        RootedHost host = new RootedHost("local", Path.of("/"), new ProcessRunner(), new ActionLog());
        LbPaths paths = LbPaths.under(dir.toString());
        int port = HaproxyProcess.freePort();
        LbSettings settings = Settings.internal("test").withInternalPort(port);
        NodeBalancer node = new NodeBalancer(settings, paths);
        NodeChange first = node.apply(host, List.of(servers.get(0).master()), Optional.empty());
        assertTrue(first.written().contains(paths.haproxyManifest()), first.toString());
        assertEquals(List.of(), first.reloads(), "a new manifest starts the pod: nothing to reload");
        String manifest = Files.readString(Path.of(paths.haproxyManifest()));

        haproxy = startAsThePod(paths);
        Probe probe = new Probe(2000);
        probe.awaitId(port, "m1");
        long masterPid = haproxy.pid(); // unshare and sh exec: the process started is haproxy's master

        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger answers = new java.util.concurrent.atomic.AtomicInteger();
        Thread prober = new Thread(() -> {
            while (probing.get()) {
                try {
                    probe.get(port);
                    answers.incrementAndGet();
                } catch (IOException e) {
                    failures.add(e.toString());
                }
            }
        });
        prober.start();
        NodeChange change = node.apply(host, List.of(servers.get(1).master()), Optional.empty());
        assertEquals(List.of(paths.haproxyConfig()), change.written(), "only the configuration changed: " + change);
        assertEquals(List.of("haproxy"), change.reloads());
        assertEquals(manifest, Files.readString(Path.of(paths.haproxyManifest())), "kubelet has no reason to restart the pod");
        probe.awaitId(port, "m2");
        Thread.sleep(500);
        probing.set(false);
        prober.join(10_000);
        assertTrue(answers.get() > 20, "answers: " + answers.get());
        assertEquals(List.of(), failures, "no connection failed across the reload (" + answers.get() + " answered)");
        assertTrue(ProcessHandle.of(masterPid).isPresent(), "the same master process serves: reloaded, not restarted");
        assertEquals(List.of(), node.apply(host, List.of(servers.get(1).master()), Optional.empty()).reloads(),
                "no change, no reload");
    }

    @Test
    void withoutARunningPodNothingIsReloadedAndAFailedReloadSaysWhatToDo() {
        LbPaths paths = LbPaths.under(dir.toString());
        NodeBalancer node = new NodeBalancer(Settings.internal("test"), paths);
        int[] exit = {1};
        List<String> seen = new ArrayList<>();
        RootedHost host = new RootedHost("n", Path.of("/"), c -> {
            seen.add(c.display());
            return new ExecResult(c, c.argv().get(0).equals("pkill") ? exit[0] : 0, "", exit[0] == 1 ? "" : "pkill: not found");
        }, new ActionLog());
        node.apply(host, List.of(new Master("m1", "10.0.0.1", 6443)), Optional.empty());
        assertEquals(List.of(), node.apply(host, List.of(new Master("m2", "10.0.0.2", 6443)), Optional.empty()).reloads(),
                "pkill found no HAProxy: kubelet starts the pod with the new file");
        assertTrue(seen.stream().anyMatch(c -> c.startsWith("pkill --signal USR2 --oldest --full")), seen.toString());
        exit[0] = 127;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> node.apply(host, List.of(new Master("m3", "10.0.0.3", 6443)), Optional.empty()));
        assertTrue(e.getMessage().contains("could not reload the local HAProxy") && e.getMessage().contains("exited 127"),
                e.getMessage());
    }

    /** The pod's command line, with the pod's mount of the configuration directory made by a private mount namespace. */
    private static Process startAsThePod(LbPaths paths) throws IOException {
        String script = "mount --make-rprivate / && mount -t tmpfs tmpfs /etc && mkdir " + HaproxyManifest.CONTAINER_DIR
                + " && mount --bind '" + paths.haproxyDir() + "' " + HaproxyManifest.CONTAINER_DIR
                + " && exec haproxy -W -db -f " + HaproxyManifest.CONTAINER_DIR + "/haproxy.cfg";
        return new ProcessBuilder("unshare", "--mount", "sh", "-c", script).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}
