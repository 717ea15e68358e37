package io.kubestead.agent.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTlsTest {
    @TempDir
    Path tmp;

    /** Keys as openssl writes them: SEC1 "EC PRIVATE KEY", PKCS#1 "RSA PRIVATE KEY", PKCS#8 "PRIVATE KEY". */
    @ParameterizedTest
    @ValueSource(strings = {"ec-sec1", "rsa-pkcs1", "rsa-pkcs8"})
    void loadsKeysInEveryPemFormKubeadmWrites(String form) throws Exception {
        Path key = tmp.resolve("k.key");
        Path cert = tmp.resolve("k.crt");
        switch (form) {
            case "ec-sec1" -> run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
            case "rsa-pkcs1" -> run("openssl", "genrsa", "-traditional", "-out", key.toString(), "2048");
            default -> run("openssl", "genpkey", "-algorithm", "RSA", "-out", key.toString());
        }
        String header = Files.readAllLines(key).get(0);
        assertEquals(switch (form) {
            case "ec-sec1" -> "-----BEGIN EC PRIVATE KEY-----";
            case "rsa-pkcs1" -> "-----BEGIN RSA PRIVATE KEY-----";
            default -> "-----BEGIN PRIVATE KEY-----";
        }, header);
        run("openssl", "req", "-x509", "-key", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=t");
        assertNotNull(PemTls.mutual(cert, cert, key));
    }

    @Test
    void namesTheProblemWhenTheKeyIsMissing() throws Exception {
        Path cert = tmp.resolve("c.crt");
        Path key = tmp.resolve("c.key");
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=t");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PemTls.mutual(cert, cert, cert));
        assertEquals("invalid TLS material: no unencrypted private key in PEM", e.getMessage());
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }
}
