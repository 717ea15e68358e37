package io.kubestead.agent.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.HostKeyRepository;
import io.kubestead.agent.spec.SpecException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** known_hosts as OpenSSH writes it (ssh-keygen makes the keys and hashes the file), judged without a connection. */
class KnownHostsFileTest {
    @TempDir
    Path dir;

    private String[] key(String name) throws Exception {
        Path k = dir.resolve(name);
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", k.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        return Files.readString(Path.of(k + ".pub")).strip().split(" ");
    }

    @Test
    void aHashedEntryMatchesAnotherKeyIsChangedAndANewOneIsAppendedOnlyWhenAccepted() throws Exception {
        String[] known = key("known");
        String[] other = key("other");
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, "# kept\n[10.0.0.7]:2222 " + known[0] + " " + known[1] + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Process hash = new ProcessBuilder("ssh-keygen", "-H", "-f", file.toString()).redirectErrorStream(true).start();
        hash.getInputStream().readAllBytes();
        assertEquals(0, hash.waitFor());
        Files.deleteIfExists(Path.of(file + ".old"));
        assertTrue(Files.readString(file).contains("|1|"), "hashed by ssh-keygen -H");
        List<String> asked = new ArrayList<>();
        KnownHostsFile refusing = new KnownHostsFile(file, (h, t, f) -> {
            asked.add(h + " " + t + " " + f);
            return false;
        });
        byte[] knownBlob = Base64.getDecoder().decode(known[1]);
        byte[] otherBlob = Base64.getDecoder().decode(other[1]);
        assertEquals(HostKeyRepository.OK, refusing.forConnection().check("[10.0.0.7]:2222", knownBlob));
        var changed = refusing.forConnection();
        assertEquals(HostKeyRepository.CHANGED, changed.check("[10.0.0.7]:2222", otherBlob));
        assertTrue(changed.last().message().startsWith("[10.0.0.7]:2222: the host key has CHANGED (now ssh-ed25519 SHA256:"));
        assertEquals(List.of(), asked, "a changed key is never a question");
        String before = Files.readString(file);
        assertEquals(HostKeyRepository.NOT_INCLUDED, refusing.forConnection().check("10.0.0.8", otherBlob));
        assertEquals(List.of("10.0.0.8 ssh-ed25519 " + KnownHostsFile.fingerprint(otherBlob)), asked);
        assertEquals(before, Files.readString(file), "a refused key is not recorded");

        KnownHostsFile accepting = new KnownHostsFile(file, (h, t, f) -> true);
        assertEquals(HostKeyRepository.OK, accepting.forConnection().check("10.0.0.8", otherBlob));
        assertEquals(before + "10.0.0.8 " + other[0] + " " + other[1] + "\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), "its mode kept");
        try (var left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".known_hosts.")), "no temporary left");
        }
        // and OpenSSH reads what was appended
        Process find = new ProcessBuilder("ssh-keygen", "-F", "10.0.0.8", "-f", file.toString()).start();
        String found = new String(find.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, find.waitFor());
        assertTrue(found.contains(other[1]), found);
    }

    @Test
    void targetsParseAsUserHostAndPortAndRefuseWhatIsNone() {
        assertEquals(new SshTarget("admin", "10.0.0.7", 2222), SshTarget.parse("admin@10.0.0.7:2222", "root"));
        assertEquals(new SshTarget("root", "node-3.example.internal", 22), SshTarget.parse("node-3.example.internal", "root"));
        assertEquals(new SshTarget("root", "fd00::7", 2200), SshTarget.parse("[fd00::7]:2200", "root"));
        assertEquals("[10.0.0.7]:2222", SshTarget.parse("10.0.0.7:2222", "root").knownHostsName());
        assertEquals("10.0.0.7", SshTarget.parse("10.0.0.7", "root").knownHostsName());
        for (String bad : List.of("10.0.0.300", "a b", "x@10.0.0.7:99999", "Admin;rm@10.0.0.7", "10.0.0.7:22x", "-oProxyCommand=x")) {
            assertThrows(SpecException.class, () -> SshTarget.parse(bad, "root"), bad);
        }
    }
}
