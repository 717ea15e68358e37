package io.kubestead.agent.cli;

import java.nio.file.Path;

/** openssl's view of a certificate, for assertions. */
final class PkiText {
    private PkiText() {
    }

    static String sans(Path cert) throws Exception {
        Process p = new ProcessBuilder("openssl", "x509", "-noout", "-ext", "subjectAltName", "-in", cert.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
