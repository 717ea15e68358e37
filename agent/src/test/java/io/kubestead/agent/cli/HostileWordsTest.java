package io.kubestead.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Words that used to be accepted, or that crashed: each is refused with exit 2 and one harmless line, and the dry run
 * writes nothing. The stand-in machine is node-1 at 10.0.0.5/24 (see {@link CliHarness}).
 */
class HostileWordsTest {
    @TempDir
    java.nio.file.Path tmp;

    private String refused(String... words) {
        CliHarness h = new CliHarness(tmp);
        String[] args = new String[words.length + 2];
        args[0] = "install";
        System.arraycopy(words, 0, args, 1, words.length);
        args[args.length - 1] = "dry-run=d";
        int code = h.run(args);
        String err = h.err.toString();
        assertEquals(2, code, err + h.out);
        assertEquals(1, err.lines().count(), err);
        assertFalse(Files.exists(tmp.resolve("d")), "nothing written");
        return err;
    }

    @Test
    void aPatchThisReleaseDoesNotKnowIsRefused() {
        String line = refused("kubernetes-version=1.33.999");
        assertTrue(line.contains("'kubernetes-version=1.33.999'") && line.contains("the newest 1.33 patch it installs is 1.33.6"),
                line);
        // the shipped patch and older ones are still fine
        CliHarness ok = new CliHarness(tmp);
        assertEquals(0, ok.run("install", "kubernetes-version=1.33.6", "dry-run=ok"), ok.err.toString());
        CliHarness older = new CliHarness(tmp);
        assertEquals(0, older.run("install", "kubernetes-version=1.33.2", "dry-run=older"), older.err.toString());
        assertTrue(older.out.toString().isEmpty() || !older.out.toString().contains("1.33.999"));
    }

    @ParameterizedTest
    @CsvSource({
        "private-address=127.0.0.1, is a loopback address",
        "private-address=0.0.0.0, is the unspecified address",
        "private-address=224.0.0.5, is a multicast address",
        "private-address=169.254.10.1, is a link-local address",
        "private-address=fe80::1, is a link-local address",
        "private-address=::1, is a loopback address",
        "public-address=0.0.0.0, is the unspecified address",
        "public-address=255.255.255.255, is the broadcast address",
    })
    void addressesNoOtherNodeCanReachAreRefused(String word, String reason) {
        String line = refused(word);
        assertTrue(line.contains("'" + word + "'") && line.contains(reason), line);
    }

    @ParameterizedTest
    @CsvSource({
        "vip=10.0.0.5, is this host's own address",
        "vip=10.0.0.0, is the network address of this host's subnet 10.0.0.0/24",
        "vip=10.0.0.255, is the broadcast address of this host's subnet 10.0.0.0/24",
        "vip=127.0.0.1, is a loopback address",
    })
    void aVipThatCannotFloatIsRefused(String word, String reason) {
        String line = refused("ha", word);
        assertTrue(line.contains("'" + word + "'") && line.contains(reason), line);
    }

    @Test
    void aVipEqualToTheGivenPrivateAddressIsRefused() {
        String line = refused("ha", "private-address=10.0.0.7", "vip=10.0.0.7");
        assertTrue(line.contains("is this host's own address"), line);
    }

    @Test
    void aHugeTokenTtlIsOutOfRangeNotAnOverflow() {
        String line = refused("token-ttl=9223372036854775807h");
        assertTrue(line.contains("must be between 1m and 8760h"), line);
        assertTrue(refused("token-ttl=99999999999999999999m").contains("must be between 1m and 8760h"));
        assertTrue(refused("token-ttl=8761h").contains("must be between 1m and 8760h"));
    }

    @Test
    void bundleServeRefusesAPortBeyond65535() {
        CliHarness h = new CliHarness(tmp);
        assertEquals(2, h.run("bundle-serve", "address=10.0.0.5", "port=99999"), h.err.toString());
        assertTrue(h.err.toString().contains("unknown word 'port=99999'"), h.err.toString());
    }

    @Test
    void theConsoleRefusesAMissingSshKeyAndABundleDirectoryWithoutABundleOnOneLine() throws Exception {
        CliHarness key = new CliHarness(tmp);
        assertEquals(2, key.run("console", "ssh-identity=" + tmp.resolve("no-such-key")), key.err.toString());
        assertTrue(key.err.toString().startsWith("kubestead: console ssh-identity=" + tmp.resolve("no-such-key")),
                key.err.toString());
        assertEquals(1, key.err.toString().lines().count(), key.err.toString());
        java.nio.file.Path empty = java.nio.file.Files.createDirectories(tmp.resolve("empty-bundle"));
        CliHarness bundle = new CliHarness(tmp);
        assertEquals(2, bundle.run("console", "ssh-bundle=" + empty), bundle.err.toString());
        assertTrue(bundle.err.toString().contains("console ssh-bundle='" + empty + "': needs exactly one kubestead-agent-"),
                bundle.err.toString());
        assertEquals(1, bundle.err.toString().lines().count(), bundle.err.toString());
    }

    @Test
    void escapeSequencesAndNewlinesInAWordAreShownEscapedOnOneLine() {
        String line = refused("node-name=\u001b[31mred\nkubestead: fake second line\u202e");
        assertFalse(line.contains("\u001b"), line);
        assertFalse(line.contains("\u202e"), line);
        assertTrue(line.contains("\\x1b[31mred\\nkubestead: fake second line\\u202e"), line);
        String unknown = refused("\u001b]0;title\u0007=x");
        assertTrue(unknown.contains("unknown word '\\x1b]0;title\\x07=x'"), unknown);
    }

    @Test
    void aHugeValueIsCutInTheMessage() {
        String line = refused("cluster-name=" + "a".repeat(100_000));
        assertTrue(line.length() < 1000, "line of " + line.length() + " characters");
        assertTrue(line.contains("... (100013 characters)"), line);
    }
}
