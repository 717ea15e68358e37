package io.kubestead.agent.plan.phases;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.HostException;
import io.kubestead.agent.host.ProcessRunner;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.lb.LbSettings;
import io.kubestead.agent.lb.Master;
import io.kubestead.agent.plan.ConsoleProgress;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.plan.StateStore;
import io.kubestead.agent.spec.LoadBalancer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After the hand-over the next phases reach the API through the static pod: the phase returns only once something
 * accepts connections on the balancer's port (a real socket here), and fails clearly when nothing ever does.
 */
class LbStaticPodPhaseTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();

    private final List<String> commands = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The port probe runs for real; systemctl is recorded (this machine runs no kubelet to restart). */
    private PhaseContext context() {
        ProcessRunner real = new ProcessRunner();
        RootedHost host = new RootedHost("h", tmp, c -> {
            commands.add(c.display());
            return c.argv().get(0).equals("systemctl") ? new io.kubestead.agent.host.ExecResult(c, 0, "", "") : real.run(c);
        }, new ActionLog());
        return new PhaseContext(host, new ConsoleProgress(new PrintWriter(out), new PrintWriter(out), false),
                new ActionLog(), Clock.systemUTC(), false, new StateStore(host));
    }

    private static LbStaticPodPhase phase(int port, Duration patience) {
        LbSettings settings = LbSettings.of(new LoadBalancer(LoadBalancer.Mode.INTERNAL, null, port, null, "test"), "lab",
                "api.lab.kubestead.internal", null, null);
        return new LbStaticPodPhase(settings, List.of(new Master("m1", "127.0.0.1")), Optional.of("m1"), true, patience);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Test
    void theHandOverWaitsUntilTheStaticPodAnswers() throws Exception {
        int port = freePort();
        long start = System.nanoTime();
        Thread kubelet = new Thread(() -> {
            try {
                Thread.sleep(3000);
                try (ServerSocket s = new ServerSocket(port, 5, InetAddress.getByName("127.0.0.1"))) {
                    s.setSoTimeout(30_000);
                    while (true) {
                        s.accept().close();
                    }
                }
            } catch (Exception e) {
                // the test ends the listener by its timeout
            }
        });
        kubelet.setDaemon(true);
        kubelet.start();
        phase(port, Duration.ofSeconds(60)).run(context());
        assertTrue(System.nanoTime() - start >= 3_000_000_000L, "returned before anything listened");
        assertTrue(Files.exists(tmp.resolve("etc/kubernetes/manifests/haproxy.yaml")));
        assertTrue(out.toString().contains("the static pod answers on 127.0.0.1:" + port), out.toString());
        // then, and only then, kubelet starts afresh (its CSINode registration met the gap)
        assertTrue(commands.get(commands.size() - 1).equals("systemctl restart kubelet"), commands.toString());
    }

    @Test
    void aStaticPodThatNeverAnswersFailsThePhase() throws Exception {
        int port = freePort();
        HostException e = assertThrows(HostException.class, () -> phase(port, Duration.ofSeconds(2)).run(context()));
        assertTrue(e.getMessage().contains("does not answer on 127.0.0.1:" + port + " after 2 s"), e.getMessage());
        assertTrue(commands.stream().noneMatch(c -> c.startsWith("systemctl")), commands.toString());
    }
}
