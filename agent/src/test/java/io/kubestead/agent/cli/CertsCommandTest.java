package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.ProcessRunner;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.pki.KeyAlgorithm;
import io.kubestead.agent.pki.Pki;
import io.kubestead.agent.pki.PkiRequest;
import io.kubestead.agent.version.KubernetesVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CertsCommandTest {
    @TempDir
    Path root;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    private int certs(String... args) {
        return new CommandLine(new CertsCommand(new PrintWriter(out), new PrintWriter(err))).execute(args);
    }

    private void tree(String version) {
        PkiRequest req = PkiRequest.defaults("cp1", "10.0.0.11", KubernetesVersion.parse(version))
                .withKeyAlgorithm(KeyAlgorithm.ECDSA_P256);
        Pki.create().ensure(new RootedHost("t", root, new ProcessRunner(), new ActionLog()), req);
    }

    @Test
    void checkExpirationPrintsKubeadmsTables() {
        tree("1.33.0");
        assertEquals(0, certs("check-expiration", "--root", root.toString()), err.toString());
        String[] lines = out.toString().split("\n");
        assertTrue(lines[0].matches("CERTIFICATE +EXPIRES +RESIDUAL TIME +CERTIFICATE AUTHORITY +EXTERNALLY MANAGED"), lines[0]);
        assertTrue(lines[1].matches("admin.conf +\\w{3} \\d\\d, \\d{4} \\d\\d:\\d\\d UTC +36[45]d +ca +no"), lines[1]);
        assertTrue(lines[2].startsWith("apiserver "));
        assertTrue(out.toString().contains("\nCERTIFICATE AUTHORITY "));
        assertTrue(out.toString().matches("(?s).*\netcd-ca +\\w{3} \\d\\d, \\d{4} \\d\\d:\\d\\d UTC +(9|10)y +no\n.*"), out.toString());
        assertEquals(1 + 11 + 1 + 1 + 3, lines.length);
    }

    @Test
    void checkExpirationAsJsonMarksMissingAndExternal() throws Exception {
        tree("1.28.5");
        Files.delete(root.resolve("etc/kubernetes/pki/front-proxy-ca.key"));
        assertEquals(0, certs("check-expiration", "-o", "json", "--root", root.toString()), err.toString());
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals("CertificateExpirationInfo", json.get("kind").asText());
        JsonNode certs = json.get("certificates");
        assertEquals(11, certs.size());
        for (JsonNode c : certs) {
            boolean superAdmin = c.get("name").asText().equals("super-admin.conf");
            assertEquals(superAdmin, c.get("missing").asBoolean(), c.toString());
            assertEquals(c.get("name").asText().equals("front-proxy-client"), c.get("externallyManaged").asBoolean());
        }
        assertEquals("etcd-ca", json.get("certificateAuthorities").get(1).get("name").asText());
    }

    @Test
    void renewReportsChangedFilesAndKeepsTheCa() throws Exception {
        tree("1.33.0");
        byte[] ca = Files.readAllBytes(root.resolve("etc/kubernetes/pki/ca.crt"));
        assertEquals(0, certs("renew", "etcd-peer", "--root", root.toString()), err.toString());
        assertTrue(out.toString().startsWith("renewed /etc/kubernetes/pki/etcd/peer.crt\nrenewed /etc/kubernetes/pki/etcd/peer.key\n"),
                out.toString());
        assertEquals(0, certs("renew", "all", "--root", root.toString()), err.toString());
        assertTrue(out.toString().contains("renewed /etc/kubernetes/admin.conf\n"));
        assertArrayEquals(ca, Files.readAllBytes(root.resolve("etc/kubernetes/pki/ca.crt")));
        assertEquals(2, certs("renew", "ca", "--root", root.toString()));
        assertTrue(err.toString().startsWith("kubestead: 'ca' is not a renewable certificate"), err.toString());
    }

    @Test
    void caHashMatchesTheLibrary() throws Exception {
        tree("1.33.0");
        assertEquals(0, certs("ca-hash", "--root", root.toString()), err.toString());
        byte[] pem = Files.readAllBytes(root.resolve("etc/kubernetes/pki/ca.crt"));
        assertEquals(io.kubestead.agent.pki.CaHash.of(io.kubestead.agent.pki.Pem.certificate(pem)) + "\n", out.toString());
        assertTrue(out.toString().matches("sha256:[0-9a-f]{64}\n"));
    }

    @Test
    void aMissingTreeIsAClearError() {
        for (String sub : new String[] {"check-expiration", "ca-hash"}) {
            assertEquals(2, certs(sub, "--root", root.toString()));
        }
        assertEquals(2, certs("renew", "all", "--root", root.toString()));
        assertEquals("", out.toString());
        assertTrue(err.toString().startsWith("kubestead: no cluster PKI under " + root + ": /etc/kubernetes/pki/ca.crt is missing"),
                err.toString());
        assertEquals(2, certs("ca-hash", "--root", root.resolve("nope").toString()));
        assertTrue(err.toString().contains("kubestead: --root " + root.resolve("nope") + " is not a directory"));
    }

    @Test
    void noSubcommandIsAUsageError() {
        assertEquals(2, certs());
        assertTrue(err.toString().startsWith("kubestead: certs needs a subcommand"), err.toString());
    }

    @Test
    void helpIsThere() {
        assertEquals(0, CertsCommand.commandLine(new PrintWriter(out), new PrintWriter(err)).execute("renew", "--help"));
        assertTrue(out.toString().contains("--root=DIR"), out.toString());
    }
}
