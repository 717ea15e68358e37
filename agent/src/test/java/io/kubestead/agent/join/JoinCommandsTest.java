package io.kubestead.agent.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.spec.InstallSpec;
import io.kubestead.agent.spec.InstallSpecParser;
import io.kubestead.agent.spec.JoinSpec;
import io.kubestead.agent.spec.JoinSpecParser;
import io.kubestead.agent.spec.Prompter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the printed join commands tell a joining master about etcd, in every load-balancer mode. */
class JoinCommandsTest {
    static final String HASH = "sha256:" + "ab".repeat(32);
    static final List<String> MASTERS = List.of("10.0.0.5", "10.0.0.7");

    static JoinCommands commands(String... installWords) {
        InstallSpec spec = new InstallSpecParser("node-1", "10.0.0.5", Path.of("/"), Prompter.NONE).parse(List.of(installWords));
        JoinSecrets secrets = JoinSecrets.generate(new SecureRandom(), Instant.parse("2026-11-21T12:00:00Z"), Duration.ofHours(24));
        return new JoinCommands(spec, MASTERS, secrets, HASH, null);
    }

    static JoinSpec parse(List<String> words, String nodeName) {
        List<String> w = new ArrayList<>(words);
        w.add("node-name=" + nodeName);
        return new JoinSpecParser("h", "10.0.0.9", Path.of("/")).parse(w);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ha yes", "ha load-balancer-address=10.0.0.100:6443", "ha vip=10.0.0.100", "yes"})
    void masterCommandsNameEveryMastersEtcdInEveryMode(String install) {
        JoinCommands c = commands(install.split(" "));
        List<String> master = c.words(true);
        assertTrue(master.contains("masters=10.0.0.5,10.0.0.7"), master.toString());
        JoinSpec spec = parse(master, "cp-2");
        assertEquals(List.of("https://10.0.0.5:2379", "https://10.0.0.7:2379"), spec.etcdEndpoints());
        assertEquals(List.of("https://10.0.0.5:2379", "https://10.0.0.7:2379"),
                ControlPlaneTarget.of(spec).etcd().stream().map(Object::toString).toList());
        assertFalse(ControlPlaneTarget.of(spec).toString().contains(spec.token()), "no secret in toString");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ha load-balancer-address=10.0.0.100:6443", "ha vip=10.0.0.100", "yes"})
    void workersOutsideTheInternalBalancerGetNoMasterList(String install) {
        assertTrue(commands(install.split(" ")).words(false).stream().noneMatch(w -> w.startsWith("masters=")));
    }

    @org.junit.jupiter.api.Test
    void theSecretsFileCarriesTokenAndKeySoThePublicWordsHoldNeither(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        JoinCommands c = commands("ha", "yes");
        JoinSpec whole = parse(c.words(true), "cp-2");
        List<String> visible = c.publicWords(true);
        assertTrue(visible.stream().noneMatch(w -> w.contains(whole.token().substring(7)) || w.contains(whole.certificateKey())),
                visible.toString());
        Path file = dir.resolve("join-secrets");
        java.nio.file.Files.writeString(file, c.secretsFile(true));
        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        List<String> words = new ArrayList<>(visible);
        words.add("secrets-file=" + file);
        JoinSpec fromFile = parse(words, "cp-2");
        assertEquals(whole.token(), fromFile.token());
        assertEquals(whole.certificateKey(), fromFile.certificateKey());
        assertEquals(whole.etcdEndpoints(), fromFile.etcdEndpoints());
        // readable by others: refused, naming the word; a line other than a secret word: refused without echoing it
        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        var open = org.junit.jupiter.api.Assertions.assertThrows(io.kubestead.agent.spec.SpecException.class,
                () -> parse(words, "cp-2"));
        assertTrue(open.getMessage().contains("chmod 600"), open.getMessage());
        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        java.nio.file.Files.writeString(file, "endpoint=evil.example:6443\n");
        var other = org.junit.jupiter.api.Assertions.assertThrows(io.kubestead.agent.spec.SpecException.class,
                () -> parse(words, "cp-2"));
        assertTrue(other.getMessage().contains("line 1") && !other.getMessage().contains("evil"), other.getMessage());
    }

    @org.junit.jupiter.api.Test
    void withoutABalancerOfOursTheHostsEntryStaysOnTheEndpointAddress() {
        // single master (no ha): masters= is for etcd only; the API name must keep resolving to the endpoint address
        JoinSpec spec = parse(commands("yes").words(true), "cp-2");
        assertEquals("10.0.0.5", spec.endpointAddress());
        assertEquals(List.of("10.0.0.5"), spec.masterAddresses());
    }

    @org.junit.jupiter.api.Test
    void anOldMasterCommandWithoutMastersIsAClearError() {
        List<String> words = new ArrayList<>(commands("ha", "load-balancer-address=10.0.0.100:6443").words(true));
        words.removeIf(w -> w.startsWith("masters="));
        JoinGateException e = org.junit.jupiter.api.Assertions.assertThrows(JoinGateException.class,
                () -> ControlPlaneTarget.of(parse(words, "cp-2")));
        assertTrue(e.getMessage().contains("run 'kubestead join-script master' on a master"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void airGappedJoinsFetchFromThePortTheFirstMasterChose() {
        for (boolean master : new boolean[] {true, false}) {
            JoinSpec chosen = parse(commands("airgap", "ha", "yes", "bundle-server-port=7446").words(master), "n-2");
            assertEquals(7446, chosen.bundleServerPort());
            assertEquals(JoinSpecParser.DEFAULT_BUNDLE_SERVER_PORT,
                    parse(commands("airgap", "ha", "yes").words(master), "n-2").bundleServerPort());
        }
    }

    @org.junit.jupiter.api.Test
    void expiriesAreWholeSeconds() {
        JoinSecrets s = JoinSecrets.generate(new SecureRandom(), Instant.parse("2026-11-21T12:00:00.123456789Z"), Duration.ofHours(24));
        assertEquals(Instant.parse("2026-11-22T12:00:00Z"), s.tokenExpires());
        assertEquals("2026-11-22T12:00:00Z", s.tokenExpires().toString());
    }
}
