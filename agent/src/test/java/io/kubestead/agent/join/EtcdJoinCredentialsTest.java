package io.kubestead.agent.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.etcd.TestPki;
import io.kubestead.agent.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The joiner's throwaway etcd client certificate, checked by openssl. */
class EtcdJoinCredentialsTest {
    @TempDir
    Path tmp;

    @Test
    void aOneHourClientCertificateFromTheEtcdCaThatOpensslAcceptsForClientAuth() throws Exception {
        TestPki etcdCa = new TestPki(tmp.resolve("pki"));
        Instant now = Instant.now();
        EtcdJoinCredentials.Minted m = EtcdJoinCredentials.mint(Files.readAllBytes(etcdCa.caFile()),
                etcdCa.caKeyPem().getBytes(StandardCharsets.US_ASCII), now, new SecureRandom());
        assertEquals("CN=kube-etcd-healthcheck-client-join", m.cert().getSubjectX500Principal().getName());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), m.cert().getExtendedKeyUsage(), "clientAuth only");
        assertTrue(!m.cert().getNotAfter().toInstant().isAfter(now.plus(Duration.ofHours(1))), "at most an hour");
        Path cert = tmp.resolve("join.crt");
        Files.write(cert, Pem.certificate(m.cert()));
        Process p = new ProcessBuilder("/usr/bin/openssl", "verify", "-purpose", "sslclient", "-CAfile",
                etcdCa.caFile().toString(), cert.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains(": OK"), out);
        Process server = new ProcessBuilder("/usr/bin/openssl", "verify", "-purpose", "sslserver", "-CAfile",
                etcdCa.caFile().toString(), cert.toString()).redirectErrorStream(true).start();
        server.getInputStream().readAllBytes();
        assertTrue(server.waitFor() != 0, "not usable as a server certificate");
    }

    @Test
    void aKeyThatIsNotAKeyIsAClearError() throws Exception {
        TestPki etcdCa = new TestPki(tmp.resolve("pki"));
        JoinGateException e = assertThrows(JoinGateException.class, () -> EtcdJoinCredentials.mint(
                Files.readAllBytes(etcdCa.caFile()), "garbage".getBytes(StandardCharsets.US_ASCII), Instant.now(),
                new SecureRandom()));
        assertTrue(e.getMessage().startsWith("etcd-ca.key from kube-system/kubeadm-certs is not a private key"), e.getMessage());
    }
}
