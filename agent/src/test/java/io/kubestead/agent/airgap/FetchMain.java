package io.kubestead.agent.airgap;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A joining node for {@link BundleFetchNetnsTest}: args target, master, port, token, ca-hash; exit 0 on success. */
public final class FetchMain {
    private FetchMain() {
    }

    public static void main(String[] args) {
        try {
            var bundle = new BundleFetch(List.of(args[1]), Integer.parseInt(args[2]), args[3], args[4], Duration.ofSeconds(5))
                    .fetch(Path.of(args[0]), m -> System.out.println("progress: " + m));
            System.out.println("fetched " + bundle.files().size() + " files");
            System.exit(0);
        } catch (BundleFetchException e) {
            System.out.println("error: " + e.getMessage());
            System.exit(1);
        }
    }
}
