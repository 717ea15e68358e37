package io.kubestead.agent.realcluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The upstream Kubernetes binaries tests/upstream/build.sh builds from their Go modules, cached by version under
 * {@code $KUBESTEAD_UPSTREAM_CACHE} (default /var/cache/kubestead/upstream).
 */
public record UpstreamBinaries(Path dir, String version) {
    public static final String VERSION = "v1.34.4";

    public static UpstreamBinaries standard() {
        String cache = System.getenv().getOrDefault("KUBESTEAD_UPSTREAM_CACHE", "/var/cache/kubestead/upstream");
        return new UpstreamBinaries(Path.of(cache, VERSION), VERSION);
    }

    public Path path(String name) {
        return dir.resolve(name);
    }

    public boolean has(List<String> names) {
        return names.stream().allMatch(n -> Files.isExecutable(path(n)));
    }

    /** The PATH commands in a test host see: these binaries first, then the system's. */
    public String searchPath() {
        return dir + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    }
}
