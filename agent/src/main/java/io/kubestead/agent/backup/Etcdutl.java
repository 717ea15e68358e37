package io.kubestead.agent.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.Host;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * etcd's offline tool (snapshot status and restore moved there from etcdctl in etcd 3.6), run through the host:
 * the etcdutl in PATH, else the one in this master's etcd image through containerd's ctr, with /var/lib (the data
 * directory and the backups) mounted at its own path.
 */
final class Etcdutl {
    static final Duration TIMEOUT = Duration.ofMinutes(10);
    private final Host host;
    private final List<String> prefix;

    private Etcdutl(Host host, List<String> prefix) {
        this.host = host;
        this.prefix = prefix;
    }

    /** The etcdutl to use on this host; {@code etcdImage} is the image of the etcd static pod. */
    static Etcdutl find(Host host, String etcdImage) {
        if (host.run(Command.of("etcdutl", "version").withTimeout(Duration.ofSeconds(30))).ok()) {
            return new Etcdutl(host, List.of("etcdutl"));
        }
        if (etcdImage.isBlank()) {
            throw new IllegalStateException("etcdutl is not installed and the etcd manifest names no image to run it from;"
                    + " put etcdutl (from the etcd release of this cluster) in PATH");
        }
        return new Etcdutl(host, List.of("ctr", "--namespace", "k8s.io", "run", "--rm", "--net-host", "--mount",
                "type=bind,src=/var/lib,dst=/var/lib,options=rbind:rw", etcdImage,
                "kubestead-etcdutl-" + ProcessHandle.current().pid(), "etcdutl"));
    }

    ExecResult run(String... args) {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of(args));
        return host.run(Command.of(argv).withTimeout(TIMEOUT));
    }

    /** What etcdutl snapshot status says: the revision and the number of keys (all revisions) in the file. */
    record Status(long revision, long totalKeys, String version) {
    }

    Status status(String snapshot) {
        ExecResult r = run("snapshot", "status", snapshot, "--write-out", "json").check();
        try {
            JsonNode j = new ObjectMapper().readTree(r.stdout());
            return new Status(j.path("revision").asLong(-1), j.path("totalKey").asLong(-1), j.path("version").asText(""));
        } catch (IOException e) {
            throw new IllegalStateException("etcdutl snapshot status printed no JSON: " + r.stdout().strip());
        }
    }

    static Optional<Etcdutl> inPath(Host host) {
        return host.run(Command.of("etcdutl", "version").withTimeout(Duration.ofSeconds(30))).ok()
                ? Optional.of(new Etcdutl(host, List.of("etcdutl"))) : Optional.empty();
    }
}
