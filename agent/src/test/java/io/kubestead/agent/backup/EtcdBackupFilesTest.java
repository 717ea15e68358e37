package io.kubestead.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file side of backups: rotation, the directory's mode, and the checks a snapshot passes before a restore. */
class EtcdBackupFilesTest {
    @TempDir
    Path tmp;

    private RootedHost host() {
        return new RootedHost("test", tmp, c -> {
            throw new IllegalStateException("no commands: " + c);
        }, new ActionLog());
    }

    @Test
    void rotationKeepsTheNewestAndLeavesOtherFilesAlone() throws Exception {
        RootedHost h = host();
        String dir = "/var/lib/kubestead/backups";
        for (String name : List.of("etcd-20261201T000000Z", "etcd-20261201T060000Z", "etcd-20261201T120000Z",
                "etcd-20261202T000000Z", ".etcd-20261202T060000Z.partial", "mine")) {
            h.writeString(dir + "/" + name + "/snapshot.db", "x", 0600);
            h.writeString(dir + "/" + name + "/pki/etcd/ca.key", "k", 0600);
        }
        List<String> removed = EtcdBackup.rotate(h, dir, 2);
        assertEquals(List.of(dir + "/etcd-20261201T000000Z", dir + "/etcd-20261201T060000Z"), removed);
        assertEquals(List.of(".etcd-20261202T060000Z.partial", "etcd-20261201T120000Z", "etcd-20261202T000000Z", "mine"),
                h.list(dir));
    }

    @Test
    void aBackupDirectoryOthersCanReadIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("var/lib/kubestead/backups"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        String e = assertThrows(SpecException.class, () -> EtcdBackup.prepareDir(host(), "/var/lib/kubestead/backups"))
                .getMessage();
        assertTrue(e.contains("mode 755") && e.contains("chmod 700"), e);
        EtcdBackup.prepareDir(host(), "/var/lib/kubestead/other");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("var/lib/kubestead/other"))));
    }

    @Test
    void aSnapshotMustCarryItsOwnSha256() throws Exception {
        byte[] db = new byte[4096];
        db[100] = 7;
        byte[] sum = MessageDigest.getInstance("SHA-256").digest(db);
        byte[] good = new byte[db.length + 32];
        System.arraycopy(db, 0, good, 0, db.length);
        System.arraycopy(sum, 0, good, db.length, 32);
        RootedHost h = host();
        h.writeFile("/b/etcd-1/snapshot.db", good, 0600);
        assertEquals(HexFormat.of().formatHex(sum), EtcdRestore.verify(h, EtcdRestore.locate(h, "/b/etcd-1")));

        byte[] damaged = good.clone();
        damaged[200] = 1;
        h.writeFile("/b/etcd-2/snapshot.db", damaged, 0600);
        String e = assertThrows(SpecException.class, () -> EtcdRestore.verify(h, EtcdRestore.locate(h, "/b/etcd-2/snapshot.db")))
                .getMessage();
        assertTrue(e.contains("damaged"), e);

        h.writeFile("/b/etcd-3/snapshot.db", good, 0600);
        h.writeString("/b/etcd-3/backup.json", "{\"sha256\": \"" + "0".repeat(64) + "\"}", 0600);
        e = assertThrows(SpecException.class, () -> EtcdRestore.verify(h, EtcdRestore.locate(h, "/b/etcd-3"))).getMessage();
        assertTrue(e.contains("not the snapshot its backup.json describes"), e);

        h.writeFile("/b/short.db", new byte[100], 0600);
        e = assertThrows(SpecException.class, () -> EtcdRestore.verify(h, EtcdRestore.locate(h, "/b/short.db"))).getMessage();
        assertTrue(e.contains("not an etcd snapshot"), e);

        e = assertThrows(SpecException.class, () -> EtcdRestore.locate(h, "/b/none")).getMessage();
        assertTrue(e.contains("neither a snapshot file nor a backup directory"), e);
    }
}
