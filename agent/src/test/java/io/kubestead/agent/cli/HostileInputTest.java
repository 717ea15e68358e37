package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile file-valued words (devices, FIFOs, directories, huge files, wrong CAs, a missing bundle): each is refused
 * with exit 2 and one line, before the host changes at all. The real path runs against a stand-in node that records
 * every command; the dry-run path must not get as far as a plan.txt.
 */
class HostileInputTest {
    @TempDir
    Path tmp;
    Path caCrt;
    Path caKey;

    @BeforeEach
    void makeCaWithOpenssl() {
        caCrt = tmp.resolve("ca.crt");
        caKey = tmp.resolve("ca.key");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=my-ca", "-days", "30",
                "-addext", "basicConstraints=critical,CA:TRUE", "-keyout", caKey.toString(), "-out", caCrt.toString());
    }

    static void openssl(String... args) {
        String[] argv = Stream.concat(Stream.of("openssl"), Stream.of(args)).toArray(String[]::new);
        ExecResult r = new ProcessRunner().run(Command.of(argv).withTimeout(java.time.Duration.ofSeconds(60)));
        assertEquals(0, r.exitCode(), () -> String.join(" ", argv) + ": " + r.stderr());
    }

    /** Exit 2 and exactly one line on stderr that names {@code word}; returns the line. */
    static String refusedInOneLine(CliHarness h, int code, String word) {
        String err = h.err.toString();
        assertEquals(2, code, err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(word), err);
        return err;
    }

    // 5. Unbounded reads of file-valued words

    @Test
    void devZeroAsCaCertOrCaKeyIsRefusedWithoutReadingIt() {
        CliHarness cert = new CliHarness(tmp);
        refusedInOneLine(cert, cert.run("install", "ca-cert=/dev/zero", "ca-key=" + caKey, "dry-run=d"), "'ca-cert=/dev/zero'");
        assertTrue(cert.err.toString().contains("not a regular file"), cert.err.toString());
        CliHarness key = new CliHarness(tmp);
        refusedInOneLine(key, key.run("install", "ca-cert=" + caCrt, "ca-key=/dev/zero", "dry-run=d"), "'ca-key=/dev/zero'");
        CliHarness etcd = new CliHarness(tmp);
        refusedInOneLine(etcd, etcd.run("install", "etcd-ca-cert=" + caCrt, "etcd-ca-key=/dev/zero", "dry-run=d"),
                "'etcd-ca-key=/dev/zero'");
        assertFalse(Files.exists(tmp.resolve("d")), "nothing written");
    }

    @Test
    void devZeroAsTheBundleKeyIsRefused() {
        CliHarness word = new CliHarness(tmp);
        refusedInOneLine(word, word.run("install", "airgap", "bundle-public-key=/dev/zero", "dry-run=d"),
                "'bundle-public-key=/dev/zero'");
        Path bundle = tmp.resolve("kubestead-airgap-1.33.4-linux-amd64.tar.zst");
        for (String sub : List.of("verify", "extract")) {
            CliHarness option = new CliHarness(tmp);
            List<String> args = sub.equals("verify") ? List.of("bundle", "verify", bundle.toString(), "--public-key", "/dev/zero")
                    : List.of("bundle", "extract", bundle.toString(), tmp.resolve("x").toString(), "--public-key", "/dev/zero");
            String line = refusedInOneLine(option, option.run(args.toArray(String[]::new)), "--public-key '/dev/zero'");
            assertTrue(line.contains("not a regular file"), line);
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a guard: before the fix the read never returned
    void aFifoAsCaCertIsRefusedWithoutBlocking() throws Exception {
        Path fifo = tmp.resolve("ca.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        StandInNode node = new StandInNode(tmp.resolve("host"));
        CliHarness h = new CliHarness(tmp, node.root, node);
        refusedInOneLine(h, h.run("install", "ca-cert=" + fifo, "ca-key=" + caKey), "'ca-cert=" + fifo + "'");
        assertEquals(List.of(), node.displayed(), "no command ran");
    }

    // 6. Checks after changes: every one of these is refused before the first host command, real run and dry run

    @Test
    void aKeyThatDoesNotMatchTheCaIsRefusedBeforeTheHostChanges() throws Exception {
        Path otherKey = tmp.resolve("other.key");
        openssl("genrsa", "-out", otherKey.toString(), "2048");
        String line = refusedBeforeAnyChange("does not belong to", "ca-cert=" + caCrt, "ca-key=" + otherKey);
        assertTrue(line.contains("ca-key=" + otherKey), line);
    }

    @Test
    void aLeafCertificateGivenAsTheCaIsRefusedBeforeTheHostChanges() throws Exception {
        Path leafCrt = tmp.resolve("leaf.crt");
        Path leafKey = tmp.resolve("leaf.key");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=leaf", "-days", "30",
                "-addext", "basicConstraints=critical,CA:FALSE", "-keyout", leafKey.toString(), "-out", leafCrt.toString());
        refusedBeforeAnyChange("is not a CA certificate", "front-proxy-ca-cert=" + leafCrt, "front-proxy-ca-key=" + leafKey);
    }

    @Test
    void aFiftyMegabyteFileThatIsNotPemIsRefusedBeforeTheHostChanges() throws Exception {
        Path big = tmp.resolve("big.crt");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap("not pem\n".getBytes()), 50L << 20); // a sparse 50 MiB file
        }
        refusedBeforeAnyChange("is larger than 1 MiB", "ca-cert=" + big, "ca-key=" + caKey);
    }

    @Test
    void aDirectoryAsCaKeyIsRefusedBeforeTheHostChanges() throws Exception {
        refusedBeforeAnyChange("is a directory, not a regular file", "ca-cert=" + caCrt, "ca-key=/etc");
    }

    @Test
    void airgapWithNoBundleIsRefusedBeforeTheHostChanges() throws Exception {
        refusedBeforeAnyChange("no air-gap bundle found", "airgap", "insecure-skip-bundle-signature");
    }

    /**
     * The words are refused with exit 2 and one line containing {@code reason}: on a stand-in node before any
     * command ran and with no file written, and in a dry run before any phase ran (no plan.txt, nothing written).
     */
    private String refusedBeforeAnyChange(String reason, String... words) throws IOException {
        StandInNode node = new StandInNode(tmp.resolve("host"));
        List<String> before = tree(node.root);
        CliHarness real = new CliHarness(tmp, node.root, node);
        String line = refusedInOneLine(real, real.run(Stream.concat(Stream.of("install"), Stream.of(words)).toArray(String[]::new)),
                reason);
        assertEquals(List.of(), node.displayed(), "no host command ran before the refusal");
        // the host lock is taken before the inputs are read (they are among what it guards); its file in /run,
        // emptied at each boot, is the one thing there, and it changes nothing on the host
        assertEquals(before, tree(node.root).stream().filter(p -> !p.equals("run") && !p.equals("run/kubestead.lock")).toList(),
                "no file written before the refusal");

        CliHarness dry = new CliHarness(tmp);
        refusedInOneLine(dry, dry.run(Stream.concat(Stream.of("install", "dry-run=dr"), Stream.of(words)).toArray(String[]::new)),
                reason);
        assertFalse(dry.out.toString().contains("(1/"), "no phase started: " + dry.out);
        assertFalse(Files.exists(tmp.resolve("dr")), "the dry run wrote nothing, not even plan.txt");
        return line;
    }

    static List<String> tree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}
