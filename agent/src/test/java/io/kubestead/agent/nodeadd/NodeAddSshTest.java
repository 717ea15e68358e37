package io.kubestead.agent.nodeadd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.join.JoinCommands;
import io.kubestead.agent.join.JoinSecrets;
import io.kubestead.agent.spec.InstallSpec;
import io.kubestead.agent.spec.InstallSpecParser;
import io.kubestead.agent.spec.Prompter;
import io.kubestead.agent.ssh.KnownHostsFile;
import io.kubestead.agent.ssh.SshClient;
import io.kubestead.agent.ssh.SshCredentials;
import io.kubestead.agent.ssh.SshTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * node add against real OpenSSH servers, each in its own network namespace: what runs there is the real install.sh
 * and this build's agent (see {@link SshHosts#agentBundle}), joining with a dry-run directory per host, since there
 * is no cluster to join here; the dry run still parses every word, reads the secrets file and writes the kubeadm
 * join configuration with the token, which the tests read back.
 */
class NodeAddSshTest {
    static final String PASSWORD = "n0de-add-test-" + Long.toHexString(new SecureRandom().nextLong());
    static final String USER = "ksshpw" + (System.nanoTime() % 1000);

    @TempDir
    static Path dir;
    static SshHosts hosts;
    static List<SshHosts.SshHost> workers = new ArrayList<>();
    static SshHosts.SshHost passwordHost;
    static JoinMaterial material;
    static JoinSecrets secrets;

    /** The hosts share this machine's /tmp: what was there before is not theirs. */
    static Set<Path> before;

    @BeforeAll
    static void start() throws Exception {
        before = remoteDirs();
        hosts = new SshHosts(dir);
        for (int i = 1; i <= 4; i++) {
            workers.add(hosts.start("w" + i, null, null));
        }
        passwordHost = hosts.start("pw", USER, PASSWORD);
        // the password user reaches its home (its dry-run directory's parent) through the test's directory
        for (Path p : List.of(dir, passwordHost.dir())) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        }
        InstallSpec spec = new InstallSpecParser("cp-1", "10.0.0.5", Path.of("/"), Prompter.NONE).parse(List.of("yes"));
        secrets = JoinSecrets.generate(new SecureRandom(), Instant.now(), Duration.ofHours(24));
        JoinCommands commands = new JoinCommands(spec, List.of("10.0.0.5"), secrets, "sha256:" + "ab".repeat(32), null);
        material = JoinMaterial.of(commands, false, Path.of("..", "scripts", "install.sh").toAbsolutePath().normalize(),
                SshHosts.agentBundle(dir.resolve("dist")));
    }

    @AfterAll
    static void stop() {
        if (hosts != null) {
            hosts.close();
        }
    }

    /** Lines per host, and how many hosts were between their first line and their end at most. */
    static final class Recorder implements NodeAddListener {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final Set<SshTarget> running = new HashSet<>();
        final AtomicInteger most = new AtomicInteger();

        @Override
        public void line(SshTarget host, String line) {
            lines.add("[" + host.label() + "] " + line);
            synchronized (running) {
                running.add(host);
                most.accumulateAndGet(running.size(), Math::max);
            }
        }

        @Override
        public void finished(HostResult result) {
            synchronized (running) {
                running.remove(result.target());
            }
        }

        String text() {
            return String.join("\n", lines);
        }
    }

    static SshClient client(Path knownHosts, boolean accept, List<Path> keys, Optional<String> password) {
        SshCredentials.Secrets secrets = new SshCredentials.Secrets() {
            @Override
            public Optional<char[]> password(SshTarget target) {
                return password.map(String::toCharArray);
            }

            @Override
            public Optional<char[]> passphrase(Path identity) {
                return Optional.empty();
            }
        };
        return new SshClient(new KnownHostsFile(knownHosts, (h, t, f) -> accept), new SshCredentials(keys, secrets),
                Duration.ofSeconds(5));
    }

    static SshTarget target(String user, SshHosts.SshHost h) {
        return new SshTarget(user, h.address(), h.port());
    }

    static Path dryRunDir(SshTarget t) {
        return t.user().equals(USER) ? passwordHost.dir().resolve("home/dry") : dir.resolve("dry-" + t.host());
    }

    static List<String> dryRun(SshTarget t) {
        return List.of("dry-run=" + dryRunDir(t));
    }

    static String joinConfig(SshTarget t) throws Exception {
        return Files.readString(dryRunDir(t).resolve("etc/kubestead/kubeadm-join.yaml"));
    }

    static Set<Path> remoteDirs() throws Exception {
        try (Stream<Path> all = Files.list(Path.of("/tmp"))) {
            return new HashSet<>(all.filter(p -> p.getFileName().toString().startsWith("kubestead-node-add.")).toList());
        }
    }

    static void assertCleanRemote(Recorder r) throws Exception {
        Set<Path> left = remoteDirs();
        left.removeAll(before);
        assertEquals(Set.of(), left, "the remote directory with install.sh and the secrets file is gone");
        assertFalse(r.text().contains(secrets.token().value().substring(7)), "no token secret in the output:\n" + r.text());
    }

    @Test
    void fourWorkersJoinAtOnceWithKeyLoginAndTheirNewHostKeysAreRecorded() throws Exception {
        Path known = dir.resolve("known_hosts_four");
        Recorder r = new Recorder();
        List<SshTarget> targets = workers.stream().map(h -> target("root", h)).toList();
        List<HostResult> results = new NodeAdder(client(known, true, List.of(hosts.clientKey()), Optional.empty()),
                Clock.systemUTC()).add(new NodeAddRequest(targets, material, 4, NodeAddSshTest::dryRun), r);
        assertEquals(4, results.size());
        for (int i = 0; i < 4; i++) {
            HostResult res = results.get(i);
            assertEquals(targets.get(i), res.target());
            assertEquals(HostResult.Outcome.JOINED, res.outcome(), res.detail() + "\n" + r.text());
            // the token reached the agent through the secrets file, not the command line
            assertTrue(joinConfig(targets.get(i)).contains(secrets.token().value()), "token in the join configuration");
            String line = workers.get(i).knownHostsName() + " " + workers.get(i).publicKey();
            assertTrue(Files.readAllLines(known).contains(line), "recorded: " + line + "\n" + Files.readString(known));
        }
        assertEquals(4, r.most.get(), "all four joined at the same time\n" + r.text());
        assertTrue(r.text().contains("[" + targets.get(0).label() + "] [INFO] checksum ok for kubestead-agent-0.0.0-test"),
                r.text());
        assertTrue(r.text().contains("secrets-file=/tmp/kubestead-node-add."), r.text());
        assertTrue(r.text().contains("joined the cluster as a worker."), r.text());
        assertCleanRemote(r);
    }

    @Test
    void mastersJoinOneAtATimeWithTheCertificateKeyInTheSecretsFile() throws Exception {
        InstallSpec spec = new InstallSpecParser("cp-1", "10.0.0.5", Path.of("/"), Prompter.NONE).parse(List.of("ha", "yes"));
        JoinCommands commands = new JoinCommands(spec, List.of("10.0.0.5"), secrets, "sha256:" + "ab".repeat(32), null);
        JoinMaterial masters = JoinMaterial.of(commands, true, material.installScript(), material.bundleFiles());
        assertFalse(String.join(" ", masters.words()).contains(secrets.certificateKey().value()), masters.words().toString());
        Recorder r = new Recorder();
        List<SshTarget> targets = List.of(target("root", workers.get(2)), target("root", workers.get(3)));
        List<HostResult> results = new NodeAdder(client(dir.resolve("known_hosts_masters"), true,
                List.of(hosts.clientKey()), Optional.empty()), Clock.systemUTC())
                .add(new NodeAddRequest(targets, masters, 4, t -> List.of("dry-run=" + dir.resolve("master-" + t.host()))), r);
        for (int i = 0; i < 2; i++) {
            assertEquals(HostResult.Outcome.JOINED, results.get(i).outcome(), r.text());
            assertEquals("master", results.get(i).role());
            String config = Files.readString(dir.resolve("master-" + targets.get(i).host()).resolve("etc/kubestead/kubeadm-join.yaml"));
            assertTrue(config.contains(secrets.certificateKey().value()), "the certificate key reached the agent");
        }
        assertEquals(1, r.most.get(), "one master at a time\n" + r.text());
        assertFalse(r.text().contains(secrets.certificateKey().value()), r.text());
        assertTrue(r.text().contains("joined the cluster as a master."), r.text());
        assertCleanRemote(r);
    }

    @Test
    void aPasswordLoginWorksWhenNoKeyIsAccepted() throws Exception {
        Path known = dir.resolve("known_hosts_pw");
        SshTarget t = target(USER, passwordHost);
        Recorder r = new Recorder();
        List<HostResult> wrong = new NodeAdder(client(known, true, List.of(), Optional.of("wrong")), Clock.systemUTC())
                .add(new NodeAddRequest(List.of(t), material, 1, NodeAddSshTest::dryRun), r);
        assertEquals(HostResult.Outcome.LOGIN_FAILED, wrong.get(0).outcome(), r.text());
        List<HostResult> results = new NodeAdder(client(known, true, List.of(hosts.clientKey()), Optional.of(PASSWORD)),
                Clock.systemUTC()).add(new NodeAddRequest(List.of(t), material, 1, NodeAddSshTest::dryRun), r);
        assertEquals(HostResult.Outcome.JOINED, results.get(0).outcome(), results.get(0).detail() + "\n" + r.text());
        assertTrue(joinConfig(t).contains(secrets.token().value()));
        // not root: the join ran through sudo, which asked the password (given on its stdin, not its command line)
        assertTrue(r.text().contains("running sudo bash install.sh"), r.text());
        assertEquals("root", Files.getOwner(dryRunDir(t).resolve("etc/kubestead/kubeadm-join.yaml")).getName(),
                "written by root, through sudo");
        assertFalse(r.text().contains(PASSWORD), r.text());
        assertCleanRemote(r);
    }

    @Test
    void anUnknownHostKeyIsRefusedUnlessAcceptedAndThenRecorded() throws Exception {
        Path known = dir.resolve("known_hosts_new");
        SshHosts.SshHost h = workers.get(0);
        SshTarget t = target("root", h);
        Recorder r = new Recorder();
        List<HostResult> refused = new NodeAdder(client(known, false, List.of(hosts.clientKey()), Optional.empty()),
                Clock.systemUTC()).add(new NodeAddRequest(List.of(t), material, 1, NodeAddSshTest::dryRun), r);
        assertEquals(HostResult.Outcome.HOST_KEY_REFUSED, refused.get(0).outcome(), r.text());
        String fingerprint = KnownHostsFile.fingerprint(java.util.Base64.getDecoder().decode(h.publicKey().split(" ")[1]));
        assertTrue(refused.get(0).detail().contains("unknown host key ssh-ed25519 " + fingerprint), refused.get(0).detail());
        assertFalse(Files.exists(known), "nothing recorded");

        List<HostResult> accepted = new NodeAdder(client(known, true, List.of(hosts.clientKey()), Optional.empty()),
                Clock.systemUTC()).add(new NodeAddRequest(List.of(t), material, 1, NodeAddSshTest::dryRun), r);
        assertEquals(HostResult.Outcome.JOINED, accepted.get(0).outcome(), r.text());
        assertEquals(List.of(h.knownHostsName() + " " + h.publicKey()), Files.readAllLines(known));
        assertTrue(r.text().contains("new host key ssh-ed25519 " + fingerprint + " accepted and recorded in " + known), r.text());
        // known now: no question is asked (a refusing decision would fail it)
        List<HostResult> again = new NodeAdder(client(known, false, List.of(hosts.clientKey()), Optional.empty()),
                Clock.systemUTC()).add(new NodeAddRequest(List.of(t), material, 1, NodeAddSshTest::dryRun), r);
        assertEquals(HostResult.Outcome.JOINED, again.get(0).outcome(), r.text());
        assertCleanRemote(r);
    }

    @Test
    void aChangedHostKeyIsRefusedEvenWithAcceptNew() throws Exception {
        SshHosts.SshHost h = workers.get(1);
        Path known = dir.resolve("known_hosts_changed");
        String old = h.knownHostsName() + " " + hosts.otherPublicKey() + "\n";
        Files.writeString(known, old);
        Recorder r = new Recorder();
        List<HostResult> results = new NodeAdder(client(known, true, List.of(hosts.clientKey()), Optional.empty()),
                Clock.systemUTC()).add(new NodeAddRequest(List.of(target("root", h)), material, 1, NodeAddSshTest::dryRun), r);
        assertEquals(HostResult.Outcome.HOST_KEY_REFUSED, results.get(0).outcome(), r.text());
        assertTrue(results.get(0).detail().startsWith(h.knownHostsName() + ": the host key has CHANGED"), results.get(0).detail());
        assertEquals(1, results.get(0).detail().lines().count());
        assertEquals(old, Files.readString(known), "known_hosts unchanged");
    }

    @Test
    void anUnreachableHostAndAFailingJoinStopNeitherTheOthersNorTheResults() throws Exception {
        Path known = dir.resolve("known_hosts_mixed");
        SshTarget unreachable = new SshTarget("root", hosts.unusedAddress(), 22);
        SshTarget failing = target("root", workers.get(2));
        SshTarget good = target("root", workers.get(3));
        Recorder r = new Recorder();
        // the agent refuses the failing host's words (an address that is none), after install.sh has unpacked it
        List<HostResult> results = new NodeAdder(client(known, true, List.of(hosts.clientKey()), Optional.empty()),
                Clock.systemUTC()).add(new NodeAddRequest(List.of(unreachable, failing, good), material, 3, t -> {
                    List<String> w = new ArrayList<>(dryRun(t));
                    if (t.equals(failing)) {
                        w.add("private-address=300.1.2.3");
                    }
                    return w;
                }), r);
        assertEquals(List.of(HostResult.Outcome.UNREACHABLE, HostResult.Outcome.JOIN_FAILED, HostResult.Outcome.JOINED),
                results.stream().map(HostResult::outcome).toList(), r.text());
        assertTrue(results.get(0).detail().startsWith(unreachable.label() + ": cannot reach " + unreachable.host() + " port 22"),
                results.get(0).detail());
        assertEquals(2, results.get(1).exitCode(), r.text());
        assertTrue(r.text().contains("[" + failing.label() + "] kubestead: word 'private-address"), r.text());
        assertCleanRemote(r);
    }
}
