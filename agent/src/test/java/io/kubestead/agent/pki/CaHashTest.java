package io.kubestead.agent.pki;

import static io.kubestead.agent.pki.PkiTesting.generate;
import static io.kubestead.agent.pki.PkiTesting.pki;
import static io.kubestead.agent.pki.PkiTesting.request;
import static io.kubestead.agent.pki.PkiTesting.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CaHashTest {
    @TempDir
    Path root;

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"RSA_2048", "ECDSA_P256"})
    void matchesTheOpensslPipeline(KeyAlgorithm alg) throws Exception {
        PkiResult result = generate(root, request("1.33.0", alg));
        Path ca = pki(root).resolve("ca.crt");
        String expected = "sha256:" + sh("openssl x509 -pubkey -noout -in '" + ca + "' | openssl pkey -pubin -outform der"
                + " | sha256sum | cut -d' ' -f1").strip();
        assertEquals(expected, CaHash.of(Pem.certificate(Files.readAllBytes(ca))));
        assertEquals(expected, result.caHash());
    }
}
