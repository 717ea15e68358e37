package io.kubestead.agent.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubestead.agent.controlplane.LocalControlPlane;
import io.kubestead.agent.controlplane.Probe;
import io.kubestead.agent.controlplane.StaticPodManifest;
import io.kubestead.agent.controlplane.StaticPods;
import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.EtcdException;
import io.kubestead.agent.etcd.EtcdMember;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.spec.SpecException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Bringing back a cluster that lost its etcd quorum. {@link #restore} on one master: the snapshot's sha256 checked,
 * the API server and etcd stopped, the old data directory kept aside, etcdutl snapshot restore into a new one as a
 * new one-member cluster of this master, etcd started, and the restored keys counted against the backup before
 * the API server starts again. {@link #rejoin} on each other master, one at a time: its member added to the
 * restored cluster as a learner, its etcd started on an empty data directory, promoted once in sync.
 */
public final class EtcdRestore {
    /** What a restore or rejoin did, for people and for -o json. */
    public record Result(String member, long revision, long keys, String keptAside, List<String> members) {
        public String json() {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("member", member);
            o.put("revision", revision);
            o.put("keys", keys);
            o.put("previousDataDir", keptAside);
            o.putPOJO("members", members);
            return o.toPrettyString() + System.lineSeparator();
        }
    }

    /** The cluster is fine: a restore would throw away what was written since the snapshot. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private final LocalControlPlane cp;
    private final Clock clock;
    private final StaticPods.Pause pause;
    private final Consumer<String> progress;
    private final Duration patience;

    public EtcdRestore(LocalControlPlane cp, Clock clock, StaticPods.Pause pause, Consumer<String> progress, Duration patience) {
        this.cp = cp;
        this.clock = clock;
        this.pause = pause;
        this.progress = progress;
        this.patience = patience;
    }

    /** A backup directory or its snapshot.db, with the record saved beside it (if any). */
    record Backup(String snapshot, Optional<JsonNode> record) {
    }

    static Backup locate(Host host, String given) {
        String snapshot = given.endsWith("/" + EtcdBackup.SNAPSHOT) || !host.exists(given + "/" + EtcdBackup.SNAPSHOT)
                ? given : given + "/" + EtcdBackup.SNAPSHOT;
        if (!host.exists(snapshot)) {
            throw new SpecException(given + " is neither a snapshot file nor a backup directory; give one that"
                    + " 'kubestead etcd snapshot' saved (under " + EtcdBackup.DIR + ")");
        }
        String dir = snapshot.contains("/") ? snapshot.substring(0, snapshot.lastIndexOf('/')) : ".";
        String recordPath = dir + "/" + EtcdBackup.RECORD;
        // a record is a few hundred bytes; anything big is not ours and is not read
        if (host.localPath(recordPath).map(p -> p.toFile().length() > 65536).orElse(false)) {
            throw new SpecException(recordPath + " is larger than 64 KiB: not a record kubestead wrote");
        }
        Optional<JsonNode> record = host.readFile(recordPath).flatMap(b -> {
            try {
                return Optional.of(new ObjectMapper().readTree(b));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
        return new Backup(snapshot, record);
    }

    /** Checks the trailing sha256 etcd appended to the database, as etcdutl restore does, before anything stops. */
    static String verify(Host host, Backup backup) {
        Path local = host.localPath(backup.snapshot()).orElseThrow(() -> new IllegalStateException("local files only"));
        try {
            long size = Files.size(local);
            if (size < 32 + 512 || (size - 32) % 512 != 0) {
                throw new SpecException(backup.snapshot() + " is not an etcd snapshot with its sha256 (" + size + " bytes)");
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] trailer;
            try (InputStream in = Files.newInputStream(local)) {
                long left = size - 32;
                byte[] buf = new byte[1 << 16];
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new IOException("short read");
                    }
                    sha.update(buf, 0, n);
                    left -= n;
                }
                trailer = in.readNBytes(32);
            }
            if (!MessageDigest.isEqual(sha.digest(), trailer)) {
                throw new SpecException(backup.snapshot() + " does not match the sha256 etcd saved with it: it is damaged");
            }
            String hex = HexFormat.of().formatHex(trailer);
            String recorded = backup.record().map(r -> r.path("sha256").asText("")).orElse("");
            if (!recorded.isEmpty() && !recorded.equals(hex)) {
                throw new SpecException(backup.snapshot() + " is not the snapshot its " + EtcdBackup.RECORD + " describes");
            }
            return hex;
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot read " + backup.snapshot() + ": " + e.getMessage());
        }
    }

    public Result restore(String given, boolean force) throws InterruptedException {
        Host host = cp.host();
        Backup backup = locate(host, given);
        verify(host, backup);
        String name = cp.etcdName();
        String peer = cp.etcdPeerUrl();
        String dataDir = cp.etcdDataDir();
        StaticPodManifest etcdManifest = cp.manifest(LocalControlPlane.ETCD);
        EtcdClient local = cp.etcd(Duration.ofSeconds(5));
        if (local.health(cp.etcdClientUrl())) {
            String how = "etcd on this master is healthy (it has a quorum)";
            try {
                how += ": members " + local.members().stream().map(EtcdMember::label).collect(Collectors.joining(", "));
            } catch (EtcdException e) {
                // the health answer is enough
            }
            if (!force) {
                throw new Refused(how + "; a restore throws away everything written since the snapshot and makes this"
                        + " master a new one-member cluster. Give --force to restore anyway");
            }
            progress.accept("WARNING: " + how + "; restoring anyway (--force)");
        }
        Etcdutl tool = Etcdutl.find(host, etcdManifest.image());
        Etcdutl.Status status = tool.status(backup.snapshot());
        StaticPods pods = new StaticPods(host, clock, pause, progress);
        if (cp.has(LocalControlPlane.API_SERVER)) {
            pods.stop(LocalControlPlane.API_SERVER, cp.probe(LocalControlPlane.API_SERVER), patience);
        }
        pods.stop(LocalControlPlane.ETCD, cp.probe(LocalControlPlane.ETCD), patience);
        String aside = keepAside(host, dataDir);
        // inside the data directory: it may be a mount point of its own (a disk for etcd), which cannot be renamed
        String restoring = dataDir + "/.kubestead-restoring";
        EtcdBackup.deleteTree(host, restoring);
        tool.run("snapshot", "restore", backup.snapshot(), "--name", name, "--initial-cluster", name + "=" + peer,
                "--initial-advertise-peer-urls", peer, "--initial-cluster-token", "kubestead-restore-" + clock.millis(),
                "--data-dir", restoring).check();
        host.move(restoring + "/member", dataDir + "/member");
        host.delete(restoring);
        // the flags only matter for an empty data directory; keep them true to the cluster anyway
        host.writeString(pausedManifest(LocalControlPlane.ETCD), etcdManifest.withFlag("initial-cluster", name + "=" + peer)
                .withFlag("initial-cluster-state", "new").render(), 0600);
        pods.start(LocalControlPlane.ETCD, cp.probe(LocalControlPlane.ETCD), patience, StaticPods.READY);
        EtcdClient.KeyCount now = local.count("", 0);
        long expected = backup.record().map(r -> r.path("keys").asLong(-1)).orElse(-1L);
        long expectedRevision = backup.record().map(r -> r.path("revision").asLong(-1)).orElse(-1L);
        if (now.revision() != status.revision()) {
            throw new IllegalStateException("the restored etcd is at revision " + now.revision() + ", the snapshot at "
                    + status.revision() + "; the API server stays stopped (its manifest is in " + StaticPods.PAUSED + ")");
        }
        if (expected >= 0 && expectedRevision == status.revision() && now.count() != expected) {
            throw new IllegalStateException("the restored etcd holds " + now.count() + " keys, the backup recorded "
                    + expected + "; the API server stays stopped (its manifest is in " + StaticPods.PAUSED + ")");
        }
        progress.accept("etcd restored: " + now.count() + " keys at revision " + now.revision()
                + (expected >= 0 ? " (the backup recorded " + expected + ")" : ""));
        if (cp.has(LocalControlPlane.API_SERVER)) {
            pods.start(LocalControlPlane.API_SERVER, cp.probe(LocalControlPlane.API_SERVER), patience, StaticPods.READY);
        }
        return new Result(name, now.revision(), now.count(), aside, members(local));
    }

    /** On another master, after {@link #restore}: joins the restored cluster at {@code endpoint} as a new member. */
    public Result rejoin(URI endpoint) throws InterruptedException {
        Host host = cp.host();
        String name = cp.etcdName();
        String peer = cp.etcdPeerUrl();
        String dataDir = cp.etcdDataDir();
        StaticPodManifest etcdManifest = cp.manifest(LocalControlPlane.ETCD);
        EtcdClient cluster = cp.etcd(List.of(endpoint), Duration.ofSeconds(5));
        if (!cluster.health(endpoint)) {
            throw new SpecException("etcd at " + endpoint + " is not healthy: run 'kubestead etcd restore' on that master first");
        }
        List<EtcdMember> members = cluster.members();
        Optional<EtcdMember> self = members.stream().filter(m -> m.name().equals(name) || m.peerUrls().contains(peer)).findFirst();
        if (self.isPresent() && self.get().started() && !self.get().learner()) {
            throw new SpecException(name + " is already a voting member of the cluster at " + endpoint + "; nothing to do");
        }
        StaticPods pods = new StaticPods(host, clock, pause, progress);
        if (cp.has(LocalControlPlane.API_SERVER)) {
            pods.stop(LocalControlPlane.API_SERVER, cp.probe(LocalControlPlane.API_SERVER), patience);
        }
        pods.stop(LocalControlPlane.ETCD, cp.probe(LocalControlPlane.ETCD), patience);
        String aside = keepAside(host, dataDir);
        if (self.isPresent()) {
            cluster.remove(self.get().id()); // a learner left by an interrupted rejoin: start over
        }
        addLearner(cluster, peer);
        String initial = cluster.members().stream().filter(EtcdMember::started)
                .map(m -> m.name() + "=" + m.peerUrls().get(0)).collect(Collectors.joining(","));
        host.writeString(pausedManifest(LocalControlPlane.ETCD), etcdManifest
                .withFlag("initial-cluster", initial + "," + name + "=" + peer)
                .withFlag("initial-cluster-state", "existing").render(), 0600);
        pods.start(LocalControlPlane.ETCD, cp.probe(LocalControlPlane.ETCD), patience, StaticPods.ANSWERING);
        promote(cluster, name);
        if (cp.has(LocalControlPlane.API_SERVER)) {
            pods.start(LocalControlPlane.API_SERVER, cp.probe(LocalControlPlane.API_SERVER), patience, StaticPods.READY);
        }
        EtcdClient.KeyCount count = cluster.count("", 0);
        return new Result(name, count.revision(), count.count(), aside, members(cluster));
    }

    private void addLearner(EtcdClient cluster, String peer) throws InterruptedException {
        Instant deadline = clock.instant().plus(patience);
        while (true) {
            try {
                cluster.addLearner(peer);
                progress.accept("added " + peer + " to the restored cluster as a learner");
                return;
            } catch (EtcdException e) {
                // etcd takes one learner at a time (another master is rejoining), and no new member until the one
                // that just joined has been connected a few seconds
                if (!(e.tooManyLearners() || e.unhealthyCluster()) || clock.instant().isAfter(deadline)) {
                    throw e;
                }
                pause.pause(Duration.ofSeconds(1));
            }
        }
    }

    private void promote(EtcdClient cluster, String name) throws InterruptedException {
        Instant deadline = clock.instant().plus(patience);
        while (true) {
            Optional<EtcdMember> me = cluster.members().stream().filter(m -> m.name().equals(name)).findFirst();
            if (me.isPresent() && !me.get().learner()) {
                progress.accept(name + " is a voting member again");
                return;
            }
            if (me.isPresent()) {
                try {
                    cluster.promote(me.get().id());
                    continue;
                } catch (EtcdException e) {
                    if (!e.learnerNotInSync() || clock.instant().isAfter(deadline)) {
                        throw e;
                    }
                }
            } else if (clock.instant().isAfter(deadline)) {
                throw new IllegalStateException(name + " did not start as a learner within " + patience.toSeconds() + " s");
            }
            pause.pause(Duration.ofMillis(500));
        }
    }

    /** etcd keeps everything in the data directory's member/; etcd only warns about the other entry. */
    private String keepAside(Host host, String dataDir) {
        if (!host.exists(dataDir + "/member")) {
            return "";
        }
        String aside = dataDir + "/member.before-restore-" + clock.instant().getEpochSecond();
        host.move(dataDir + "/member", aside);
        progress.accept("kept the old etcd data in " + aside);
        return aside;
    }

    private static String pausedManifest(String component) {
        return StaticPods.PAUSED + "/" + component + ".yaml";
    }

    private static List<String> members(EtcdClient etcd) {
        return etcd.members().stream().map(EtcdMember::label).toList();
    }
}
