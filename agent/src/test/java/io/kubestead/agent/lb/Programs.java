package io.kubestead.agent.lb;

import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.ProcessRunner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the real programs the tests check against, failing clearly when one is missing. */
final class Programs {
    private Programs() {
    }

    static ExecResult run(String... argv) {
        assertTrue(Files.isExecutable(Path.of("/usr/sbin/" + argv[0])) || Files.isExecutable(Path.of("/usr/bin/" + argv[0]))
                || Files.isExecutable(Path.of("/sbin/" + argv[0])), argv[0] + " is not installed (apt-get install " + argv[0] + ")");
        return new ProcessRunner().run(Command.of(argv));
    }

    /** {@code haproxy -c -f} on the text; returns the result for negative checks. */
    static ExecResult haproxyCheck(Path dir, String name, String config) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, config);
        return run("haproxy", "-c", "-f", f.toString());
    }

    static void assertHaproxyAccepts(Path dir, String name, String config) throws IOException {
        ExecResult r = haproxyCheck(dir, name, config);
        assertEquals(0, r.exitCode(), "haproxy -c rejected " + name + ":\n" + r.stdout() + r.stderr() + "\n" + config);
    }

    static String golden(String name) throws IOException {
        try (var in = Programs.class.getResourceAsStream(name)) {
            assertTrue(in != null, "missing golden file " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
