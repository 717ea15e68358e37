package io.kubestead.agent.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubestead.agent.controlplane.LocalControlPlane;
import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.spec.SpecException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code kubestead etcd snapshot}: a snapshot of this master's etcd member through etcd's snapshot API, checked
 * against the sha256 etcd sends with it (and read back by etcdutl snapshot status when it is at hand), saved with
 * the CA keys and service-account keys a rebuilt master needs, in its own 0700 directory of 0600 files under
 * {@link #DIR}. The directory is written under a temporary name and renamed, so a backup is whole or absent; the
 * oldest are deleted beyond the retention count.
 */
public final class EtcdBackup {
    public static final String DIR = "/var/lib/kubestead/backups";
    public static final String SNAPSHOT = "snapshot.db";
    public static final String RECORD = "backup.json";
    public static final int DEFAULT_RETAIN = 12;
    /** The PKI files under /etc/kubernetes/pki a master cannot be rebuilt without (the leaves are made from them). */
    static final List<String> PKI = List.of("ca.crt", "ca.key", "etcd/ca.crt", "etcd/ca.key", "front-proxy-ca.crt",
            "front-proxy-ca.key", "sa.key", "sa.pub");
    static final Pattern NAME = Pattern.compile("etcd-\\d{8}T\\d{6}Z");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** One saved backup. {@code revision} and {@code keys} are -1 when etcdutl was not at hand to read the file. */
    public record Saved(String dir, String snapshot, long bytes, String sha256, long revision, long keys, List<String> pki,
                        List<String> removed) {
        public String json() {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("dir", dir);
            o.put("snapshot", snapshot);
            o.put("bytes", bytes);
            o.put("sha256", sha256);
            o.put("revision", revision);
            o.put("keys", keys);
            o.putPOJO("pki", pki);
            o.putPOJO("removed", removed);
            return o.toPrettyString() + System.lineSeparator();
        }
    }

    private final LocalControlPlane cp;

    public EtcdBackup(LocalControlPlane cp) {
        this.cp = cp;
    }

    public Saved save(String dir, int retain, Instant now) {
        if (retain < 1) {
            throw new SpecException("--retain " + retain + " must be at least 1");
        }
        Host host = cp.host();
        prepareDir(host, dir);
        String name = "etcd-" + STAMP.format(now);
        String finalDir = dir + "/" + name;
        if (host.exists(finalDir)) {
            throw new IllegalStateException(finalDir + " exists already: one backup per second");
        }
        String partial = dir + "/." + name + ".partial";
        deleteTree(host, partial);
        host.mkdirs(partial, 0700);
        EtcdClient etcd = cp.etcd(Duration.ofSeconds(10));
        EtcdClient.SnapshotStream stream;
        Path local = host.localPath(partial + "/" + SNAPSHOT).orElseThrow(() -> new IllegalStateException(
                "snapshots are written to local files only"));
        try (FileChannel ch = FileChannel.open(local, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
             OutputStream out = Channels.newOutputStream(ch)) {
            stream = etcd.snapshot(out, Duration.ofMinutes(30));
            ch.force(true);
        } catch (IOException e) {
            deleteTree(host, partial);
            throw new UncheckedIOException("cannot write " + local, e);
        } catch (RuntimeException e) {
            deleteTree(host, partial);
            throw e;
        }
        if (!stream.verified() || stream.databaseBytes() % 512 != 0) {
            deleteTree(host, partial);
            throw new IllegalStateException("the snapshot etcd sent does not match its own sha256 (" + stream.databaseBytes()
                    + " bytes): it was not saved");
        }
        long revision = -1;
        long keys = -1;
        Optional<Etcdutl> tool = Etcdutl.inPath(host);
        if (tool.isPresent()) {
            // etcdutl opens the database: a file it cannot read is no backup
            Etcdutl.Status status = tool.get().status(partial + "/" + SNAPSHOT);
            revision = status.revision();
            keys = etcd.count("", revision).count();
        }
        List<String> pki = new ArrayList<>();
        for (String f : PKI) {
            Optional<byte[]> content = host.readFile("/etc/kubernetes/pki/" + f);
            if (content.isPresent()) {
                host.writeFile(partial + "/pki/" + f, content.get(), 0600);
                pki.add(f);
            }
        }
        String sha = HexFormat.of().formatHex(stream.sha256());
        Saved saved = new Saved(finalDir, finalDir + "/" + SNAPSHOT, stream.databaseBytes(), sha, revision, keys, pki, List.of());
        host.writeString(partial + "/" + RECORD, recordJson(saved, cp.etcdName(), now), 0600);
        host.move(partial, finalDir);
        List<String> removed = rotate(host, dir, retain);
        return new Saved(finalDir, saved.snapshot(), saved.bytes(), sha, revision, keys, pki, removed);
    }

    private static String recordJson(Saved s, String member, Instant now) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("takenAt", now.toString());
        o.put("member", member);
        o.put("bytes", s.bytes());
        o.put("sha256", s.sha256());
        o.put("revision", s.revision());
        o.put("keys", s.keys());
        return o.toPrettyString() + "\n";
    }

    /** The backup directory: made 0700, and refused when others may read or write it. */
    static void prepareDir(Host host, String dir) {
        host.mkdirs(dir, 0700);
        int mode = host.mode(dir).orElse(0700);
        if ((mode & 0077) != 0) {
            throw new SpecException(dir + " has mode " + Integer.toOctalString(mode) + ": backups hold the CA keys;"
                    + " make it 0700 (chmod 700 " + dir + ") and run again");
        }
    }

    /** Deletes the oldest backups beyond {@code retain}; returns what it deleted. */
    static List<String> rotate(Host host, String dir, int retain) {
        List<String> backups = host.list(dir).stream().filter(n -> NAME.matcher(n).matches()).sorted().toList();
        List<String> removed = new ArrayList<>();
        for (int i = 0; i < backups.size() - retain; i++) {
            deleteTree(host, dir + "/" + backups.get(i));
            removed.add(dir + "/" + backups.get(i));
        }
        return removed;
    }

    static void deleteTree(Host host, String path) {
        for (String child : host.list(path)) {
            deleteTree(host, path + "/" + child);
        }
        host.delete(path);
    }
}
