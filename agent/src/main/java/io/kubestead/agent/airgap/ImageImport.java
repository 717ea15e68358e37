package io.kubestead.agent.airgap;

import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.Host;
import io.kubestead.agent.host.HostException;
import io.kubestead.agent.progress.Meter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Imports the bundle's images (OCI layout tars) into containerd's k8s.io namespace, where the kubelet's CRI looks,
 * with {@code ctr images import}. Without --all-platforms, which would demand blobs for platforms a single-arch
 * bundle does not carry; the ref name annotation names each image (containerd 1.6 and 1.7 alike). Images already
 * listed by {@code ctr images ls -q} are skipped, so a rerun imports nothing.
 */
public final class ImageImport {
    public static final String NAMESPACE = "k8s.io";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    /** Imported and skipped references. */
    public record Outcome(List<String> imported, List<String> present) {
    }

    private final List<String> ctr;

    /** The system containerd. */
    public ImageImport() {
        this(List.of("ctr"));
    }

    /** {@code ctr} with its connection options, e.g. {@code ctr --address /run/x/containerd.sock} for a test. */
    public ImageImport(List<String> ctr) {
        this.ctr = List.copyOf(ctr);
    }

    /** Imports what containerd lacks; {@code meter} counts images done, noting the one at hand. */
    public Outcome run(Host host, ExtractedBundle bundle, Meter meter) {
        Set<String> present = Set.copyOf(host.run(ctr("images", "ls", "-q")).check().stdout().lines()
                .map(String::strip).filter(s -> !s.isEmpty()).toList());
        List<String> imported = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int n = 0;
        int total = bundle.images().size();
        try {
            for (var image : bundle.images()) {
                if (present.contains(image.ref())) {
                    meter.update(n++, total, image.ref() + ": already in containerd");
                    skipped.add(image.ref());
                    continue;
                }
                String file = bundle.hostPath(image.path());
                if (!host.exists(file)) {
                    throw new HostException(file + " is missing from the extracted air-gap bundle; extract the bundle again");
                }
                meter.update(n++, total, image.ref() + ": importing");
                var r = host.run(ctr("images", "import", file));
                if (!r.ok()) {
                    throw new io.kubestead.agent.host.CommandFailedException(r, "containerd could not import " + image.ref()
                            + " from " + file + ": " + r.stderr().strip().lines().reduce((a, b) -> b).orElse(r.outcome()));
                }
                imported.add(image.ref());
            }
            meter.update(total, total, "");
        } finally {
            meter.finish();
        }
        return new Outcome(List.copyOf(imported), List.copyOf(skipped));
    }

    private Command ctr(String... args) {
        List<String> argv = new ArrayList<>(ctr);
        argv.add("-n");
        argv.add(NAMESPACE);
        argv.addAll(List.of(args));
        return Command.of(argv).withTimeout(TIMEOUT);
    }
}
