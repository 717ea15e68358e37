package io.kubestead.agent.lb;

import io.kubestead.agent.spec.HostPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The external balancer check against a real haproxy in TCP mode, forwarding to this master or elsewhere. */
class ExternalBalancerCheckTest {
    @TempDir
    Path dir;
    private final List<StandInApiServer> servers = new ArrayList<>();
    private final List<HaproxyProcess> balancers = new ArrayList<>();
    private StandInApiServer self;
    private StandInApiServer other;
    private X509Certificate selfCert;
    private TestPki pki;
    private final ExternalBalancerCheck check = new ExternalBalancerCheck(Duration.ofSeconds(2), 4);

    @BeforeEach
    void setUp() throws Exception {
        pki = new TestPki("kubernetes");
        TestPki.Leaf a = pki.apiserver("m1", "api.test.kubestead.internal");
        // This master's certificate as kubeadm wrote it: read back from PEM like /etc/kubernetes/pki/apiserver.crt.
        selfCert = ExternalBalancerCheck.readCertificate(a.pem());
        self = start("m1", a);
        other = start("m2", pki.apiserver("m2", "api.test.kubestead.internal"));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (HaproxyProcess h : balancers) {
            h.close();
        }
        servers.forEach(StandInApiServer::stop);
    }

    @Test
    void confirmsABalancerThatForwardsToThisMaster() throws Exception {
        int lb = balancer(List.of(self.master(), other.master()));
        BalancerCheckResult r = check.checkUntil(new HostPort("127.0.0.1", lb), self.master().endpoint(), selfCert,
                Duration.ofSeconds(15));
        assertTrue(r.ok(), r.message());
        assertTrue(r.message().startsWith("load balancer 127.0.0.1:" + lb + " forwards to this master"), r.message());
    }

    @Test
    void explainsABalancerThatForwardsElsewhere() throws Exception {
        int lb = balancer(List.of(other.master()));
        BalancerCheckResult r = check.check(new HostPort("127.0.0.1", lb), self.master().endpoint(), selfCert);
        assertFalse(r.ok());
        assertEquals(4, r.reachedOther(), r.message());
        String m = r.message();
        assertTrue(m.contains("reached another API server of this cluster"), m);
        assertTrue(m.contains("TCP mode") && m.contains("health check") && m.contains("Hairpinning"), m);
        assertTrue(m.lines().count() > 5, "a multi-line hint: " + m);
    }

    @Test
    void explainsATlsTerminatingBalancerAndANonListeningOne() throws Exception {
        TestPki foreign = new TestPki("corporate-proxy-ca");
        StandInApiServer proxy = new StandInApiServer("proxy", foreign.apiserver("proxy").serverContext(foreign.ca())).start();
        servers.add(proxy);
        BalancerCheckResult r = check.check(new HostPort("127.0.0.1", proxy.port()), self.master().endpoint(), selfCert);
        assertFalse(r.ok());
        assertTrue(r.message().contains("not from this cluster's CA"), r.message());

        BalancerCheckResult refused = check.check(new HostPort("127.0.0.1", HaproxyProcess.freePort()),
                self.master().endpoint(), selfCert);
        assertFalse(refused.ok());
        assertTrue(refused.message().contains("connection refused"), refused.message());
    }

    private StandInApiServer start(String id, TestPki.Leaf leaf) throws Exception {
        StandInApiServer s = new StandInApiServer(id, leaf.serverContext(pki.ca())).start();
        servers.add(s);
        return s;
    }

    /** A real haproxy in TCP passthrough to {@code targets}, standing in for the user's balancer. */
    private int balancer(List<Master> targets) throws Exception {
        int port = HaproxyProcess.freePort();
        Path d = Files.createDirectories(dir.resolve("lb" + balancers.size()));
        Path sock = d.resolve("s.sock");
        String cfg = new HaproxyConfig(port, targets, Optional.empty(), Optional.empty()).withStatsSocket(sock.toString()).render();
        HaproxyProcess h = HaproxyProcess.start(d, cfg, port, sock);
        balancers.add(h);
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!h.serverStates().values().stream().allMatch("UP"::equals) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return port;
    }
}
