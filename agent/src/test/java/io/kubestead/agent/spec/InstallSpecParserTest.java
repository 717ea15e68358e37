package io.kubestead.agent.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InstallSpecParserTest {

    private static InstallSpec parse(String... words) {
        return new InstallSpecParser("Node-1", "10.0.0.5", Path.of("/work"), Prompter.NONE).parse(List.of(words));
    }

    private static String error(String... words) {
        return assertThrows(SpecException.class, () -> parse(words)).getMessage();
    }

    @Test
    void defaultsComeFromTheHost() {
        InstallSpec s = parse();
        assertFalse(s.ha());
        assertEquals("node-1", s.nodeName());
        assertEquals("10.0.0.5", s.privateAddress());
        assertEquals(LoadBalancer.Mode.NONE, s.loadBalancer().mode());
        assertEquals("api.kubernetes.kubestead.internal:6443", s.controlPlaneEndpoint().toString());
        assertEquals("10.0.0.5", s.apiNameTarget());
        assertEquals("10.96.0.0/12", s.serviceCidr().toString());
        assertEquals("10.96.0.1", s.serviceCidr().firstHost());
        assertEquals(new SupportedVersions().defaultVersion(), s.kubernetesVersion());
        assertEquals(Duration.ofHours(24), s.tokenTtl());
        assertTrue(s.dryRun().isEmpty());
    }

    @Test
    void replicatedStyleAndDashedWordsMeanTheSame() {
        InstallSpec bare = parse("ha", "load-balancer-address=lb.example.com:7443", "taint-control-plane");
        InstallSpec dashed = parse("--ha", "--load-balancer-address=lb.example.com:7443", "--taint-control-plane");
        assertEquals(bare, dashed);
        assertEquals(LoadBalancer.Mode.EXTERNAL, bare.loadBalancer().mode());
        assertEquals(new HostPort("lb.example.com", 7443), bare.loadBalancer().external());
        assertEquals("lb.example.com:7443", bare.controlPlaneEndpoint().toString(), "a DNS name is already stable");
        assertEquals(null, bare.apiNameTarget());
        assertTrue(bare.taintControlPlane());
    }

    @Test
    void anExternalBalancerByAddressIsReachedThroughTheStableName() {
        InstallSpec s = parse("ha", "load-balancer-address=10.0.0.10:7443");
        assertEquals("api.kubernetes.kubestead.internal:7443", s.controlPlaneEndpoint().toString());
        assertEquals("10.0.0.10", s.apiNameTarget());
    }

    @Test
    void portDefaultsTo6443AndIpv6GoesInBrackets() {
        assertEquals(6443, parse("load-balancer-address=10.0.0.10").loadBalancer().external().port());
        HostPort v6 = parse("load-balancer-address=[fd00::10]:8443").loadBalancer().external();
        assertEquals("fd00::10", v6.host());
        assertEquals("[fd00::10]:8443", v6.toString());
        assertTrue(error("load-balancer-address=fd00::10").contains("brackets"));
    }

    @Test
    void haWithoutAddressAsksAndAnEmptyAnswerChoosesTheInternalBalancer() {
        Deque<String> answers = new ArrayDeque<>(List.of(""));
        InstallSpec s = new InstallSpecParser("h", "10.0.0.5", Path.of("/"), q -> Optional.of(answers.pop()))
                .parse(List.of("ha"));
        assertEquals(LoadBalancer.Mode.INTERNAL, s.loadBalancer().mode());
        assertEquals("chosen at the prompt", s.loadBalancer().source());
        assertEquals("api.kubernetes.kubestead.internal:6444", s.controlPlaneEndpoint().toString());
        assertEquals("127.0.0.1", s.apiNameTarget());
    }

    @Test
    void haPromptAcceptsAnAddressAndRetriesABadOne() {
        Deque<String> answers = new ArrayDeque<>(List.of("bad host", "", "lb.corp:9443"));
        InstallSpec s = new InstallSpecParser("h", "10.0.0.5", Path.of("/"), q -> Optional.of(answers.pop()))
                .parse(List.of("ha"));
        assertEquals(LoadBalancer.Mode.EXTERNAL, s.loadBalancer().mode());
        assertEquals("lb.corp:9443", s.loadBalancer().external().toString());
    }

    @Test
    void haWithoutTerminalOrWithYesChoosesTheInternalBalancer() {
        assertEquals(LoadBalancer.Mode.INTERNAL, parse("ha").loadBalancer().mode());
        InstallSpec yes = new InstallSpecParser("h", "10.0.0.5", Path.of("/"), q -> {
            throw new AssertionError("must not ask with 'yes'");
        }).parse(List.of("ha", "yes"));
        assertEquals(LoadBalancer.Mode.INTERNAL, yes.loadBalancer().mode());
    }

    @Test
    void vipImpliesHa() {
        InstallSpec s = parse("vip=10.0.0.100");
        assertTrue(s.ha());
        assertEquals(LoadBalancer.Mode.VIP, s.loadBalancer().mode());
        assertEquals("10.0.0.100", s.apiNameTarget());
        assertTrue(error("vip=10.0.0.100", "load-balancer-address=lb:6443").contains("give one"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "loadbalancer-address=1.2.3.4|did you mean 'load-balancer-address'",
        "taint-controlplane|did you mean 'taint-control-plane'",
        "frobnicate|unknown word 'frobnicate'",
        "load-balancer-address=lb:0|port 0 is outside 1-65535",
        "load-balancer-address=lb:65536|port 65536 is outside 1-65535",
        "load-balancer-address=bad_host:6443|'bad_host' is neither an IP address nor a DNS name",
        "load-balancer-address=my host|'my host' is neither",
        "load-balancer-address|needs a value",
        "pod-cidr=10.0.0.0/33|prefix length '33' must be 0-32",
        "pod-cidr=10.0.0.1/8|has host bits set",
        "service-cidr=banana|has no prefix length",
        "kubernetes-version=1.27|not supported; supported: 1.28 to 1.37",
        "kubernetes-version=latest|not a version",
        "node-name=Bad_Name|not a valid node name",
        "private-address=10.0.0.300|not an IP address",
        "key-algorithm=dsa|valid: rsa-2048, rsa-3072, rsa-4096, ecdsa-p256",
        "cert-sans=ok.example.com,bad name|'bad name' is neither",
        "token-ttl=forever|not a duration",
        "ha=maybe|takes no value",
        "ca-cert=/etc/hostname|needs 'ca-key=FILE' too",
    })
    void badWordsNameTheWordAndWhatIsValid(String word, String expected) {
        String message = error(word);
        assertTrue(message.contains(expected), () -> "message was: " + message);
        assertFalse(message.contains("\n"), "one line");
    }

    @Test
    void purgeAfterIsAnHourWithHaOffWithoutAndValidated() {
        assertEquals(Duration.ofHours(1), parse("ha", "yes").purgeAfter());
        assertEquals(Duration.ZERO, parse().purgeAfter());
        assertFalse(parse().purgesLostNodes());
        assertEquals(Duration.ofMinutes(90), parse("ha", "yes", "purge-after=1h30m").purgeAfter());
        assertEquals(Duration.ZERO, parse("ha", "yes", "purge-after=0").purgeAfter());
        assertEquals(Duration.ZERO, parse("purge-after=0").purgeAfter());
        assertTrue(error("purge-after=1h").contains("applies only to ha"), error("purge-after=1h"));
        assertTrue(error("ha", "yes", "purge-after=2m").contains("shorter than 5m"));
        assertTrue(error("ha", "yes", "purge-after=soon").contains("give 0 (off) or a duration"));
        assertEquals(Duration.ofMinutes(90), InstallSpecJson.read(InstallSpecJson.write(parse("ha", "yes",
                "purge-after=90m"))).purgeAfter());
    }

    @Test
    void overlappingNetworksAreRefused() {
        assertTrue(error("pod-cidr=10.96.0.0/16").contains("overlap"));
        assertTrue(error("pod-cidr=10.0.0.0/8", "service-cidr=10.96.0.0/12").contains("overlap"));
    }

    @Test
    void sameWordTwiceIsFineOnlyWithTheSameValue() {
        assertEquals("a", parse("node-name=a", "node-name=a").nodeName());
        assertTrue(error("node-name=a", "--node-name=b").contains("given twice with different values"));
    }

    @Test
    void bareMinorVersionMeansTheShippedPatch() {
        assertEquals("1.33.6", parse("kubernetes-version=1.33").kubernetesVersion().toString());
        assertEquals("1.30.2", parse("kubernetes-version=v1.30.2").kubernetesVersion().toString());
    }

    @Test
    void dryRunDefaultsToADirectoryInTheWorkingDirectory() {
        assertEquals(Path.of("/work/kubestead-dry-run"), parse("dry-run").dryRunDir());
        assertEquals(Path.of("/tmp/x"), parse("dry-run=/tmp/x").dryRunDir());
        assertEquals(Path.of("/work/rel"), parse("--dry-run=rel").dryRunDir());
    }

    @Test
    void hostNameThatIsNotANodeNameNeedsTheWord() {
        SpecException e = assertThrows(SpecException.class,
                () -> new InstallSpecParser("bad_host", "10.0.0.1", Path.of("/"), Prompter.NONE).parse(List.of()));
        assertTrue(e.getMessage().contains("node-name=NAME"));
        assertEquals("ok", new InstallSpecParser("bad_host", "10.0.0.1", Path.of("/"), Prompter.NONE)
                .parse(List.of("node-name=ok")).nodeName());
    }

    @Test
    void certSansKeepOrderAndDropDuplicates() {
        assertEquals(List.of("a.example.com", "10.1.1.1", "*.apps.example.com"),
                parse("cert-sans=a.example.com,10.1.1.1,a.example.com,*.apps.example.com").certSans());
    }

    @Test
    void theBundleServerPortIsChosenOnceForTheWholeAirGappedCluster() {
        assertEquals(JoinSpecParser.DEFAULT_BUNDLE_SERVER_PORT, parse("airgap").bundleServerPort());
        InstallSpec s = parse("airgap", "ha", "bundle-server-port=7446");
        assertEquals(7446, s.bundleServerPort());
        assertEquals(7446, InstallSpecJson.read(InstallSpecJson.write(s)).bundleServerPort(), "install.json keeps it");
        assertEquals("word 'bundle-server-port' applies only to air-gapped clusters; drop it or add airgap",
                error("bundle-server-port=7446"));
        assertTrue(error("airgap", "bundle-server-port=70000").startsWith("word 'bundle-server-port=70000'"),
                error("airgap", "bundle-server-port=70000"));
        assertEquals("word 'bundle-server-port=6443' is a port a master already uses ([6443, 2379, 2380, 10250, 10257,"
                + " 10259]); choose another, e.g. 6446", error("airgap", "bundle-server-port=6443"));
        assertTrue(error("airgap", "ha", "bundle-server-port=6444").contains("6444]"), "the internal balancer's port");
    }

    @Test
    void installJsonOfAnOlderVersionReadsWithTheDefaultBundleServerPort() {
        String json = new String(InstallSpecJson.write(parse("airgap")), java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll(",\\s*\"bundleServerPort\" : \\d+", "");
        assertFalse(json.contains("bundleServerPort"), json);
        assertEquals(JoinSpecParser.DEFAULT_BUNDLE_SERVER_PORT,
                InstallSpecJson.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)).bundleServerPort());
    }

    @Test
    void theConsoleIsOnAtPort8800UnlessTurnedOffAndItsPortAvoidsTheMastersOwn(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        assertEquals(new ConsoleSettings(true, 8800, null), parse().console());
        assertFalse(parse("console=off").console().enabled());
        assertEquals(9443, parse("console-port=9443").console().port());
        assertEquals("word 'console=maybe': 'maybe' is neither on nor off; give console=off to install without the"
                + " console (it is on by default)", error("console=maybe"));
        assertEquals("words 'console-port=9443' and 'console=off' contradict each other; drop one",
                error("console=off", "console-port=9443"));
        assertTrue(error("console-port=6443").startsWith("word 'console-port=6443' is a port a master already uses"));
        assertTrue(error("ha", "console-port=6444").contains("6444]"), "the internal balancer's port");
        assertTrue(error("airgap", "bundle-server-port=8800").startsWith("the console's port 8800 is a port a master"
                + " already uses"), error("airgap", "bundle-server-port=8800"));
        assertEquals(8800, InstallSpecJson.read(InstallSpecJson.write(parse())).console().port(), "install.json keeps it");
        assertFalse(InstallSpecJson.read(InstallSpecJson.write(parse("console=off"))).console().enabled());

        Path file = dir.resolve("pw");
        java.nio.file.Files.writeString(file, "a long enough secret\nsecond line ignored\n");
        InstallSpec s = parse("console-password-file=" + file);
        assertEquals("a long enough secret", new String(ConsoleSettings.password(s.console().passwordFile())));
        assertFalse(new String(InstallSpecJson.write(s)).contains(file.toString()), "no password file in install.json");
        java.nio.file.Files.writeString(file, "short\n");
        assertEquals("word 'console-password-file=" + file + "': the password on the file's first line must have 12 to"
                + " 256 characters (it has 5)", error("console-password-file=" + file));
        assertTrue(error("console-password-file=" + dir).startsWith("word 'console-password-file=" + dir + "': the file"),
                "a directory is no password file");
    }

    @Test
    void etcdBackupIsSixHoursUnlessTheWordSaysOtherwise() {
        assertEquals(Duration.ofHours(6), parse().etcdBackup());
        assertEquals(Duration.ZERO, parse("etcd-backup=0").etcdBackup());
        assertEquals(Duration.ofMinutes(90), parse("etcd-backup=1h30m").etcdBackup());
        assertEquals(Duration.ofMinutes(15), parse("etcd-backup=15m").etcdBackup());
        assertEquals("PT1H30M", parse("etcd-backup=1h30m").toMap().get("etcdBackup"));
    }

    @ParameterizedTest
    @CsvSource({"5m", "169h", "6", "six", "-1h", "999999999999999h", "0h"})
    void aBackupIntervalOutOfRangeIsRefusedNamingTheWord(String value) {
        String e = error("etcd-backup=" + value);
        assertTrue(e.startsWith("word 'etcd-backup=" + value + "'") && e.contains("0 (no backups) or an interval"), e);
    }
}
