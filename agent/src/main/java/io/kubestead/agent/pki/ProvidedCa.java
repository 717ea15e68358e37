package io.kubestead.agent.pki;

import io.kubestead.agent.spec.InputFile;
import io.kubestead.agent.spec.Shown;
import io.kubestead.agent.spec.SpecException;
import java.nio.file.Path;

/**
 * A CA the user brings ({@code ca-cert=FILE ca-key=FILE} and the etcd and front-proxy pairs). The sources name the
 * files in error messages. A missing key is allowed here and reported as an error by validation.
 */
public record ProvidedCa(String certSource, byte[] certPem, String keySource, byte[] keyPem) {

    /** Reads the user's files from the machine the agent runs on; {@code key} may be null. */
    public static ProvidedCa fromFiles(CaKind kind, Path cert, Path key) {
        return new ProvidedCa(Shown.value(kind.certWord() + "=" + cert), read(kind.certWord(), cert),
                Shown.value(key == null ? kind.keyWord() : kind.keyWord() + "=" + key), key == null ? null : read(kind.keyWord(), key));
    }

    private static byte[] read(String word, Path file) {
        try {
            return InputFile.read(file, InputFile.PEM_LIMIT);
        } catch (InputFile.Refused e) {
            throw new SpecException("word " + Shown.quoted(word + "=" + file) + ": the file " + e.getMessage()
                    + "; give a PEM file");
        }
    }
}
