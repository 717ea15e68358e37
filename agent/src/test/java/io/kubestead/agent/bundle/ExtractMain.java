package io.kubestead.agent.bundle;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * An extraction for {@link KilledExtractionTest} to kill: args bundle, target. Prints "HALF" once half the bytes are
 * written and then waits there forever, so the test signals it mid-extraction, with the staging directory in use.
 */
public final class ExtractMain {
    private ExtractMain() {
    }

    public static void main(String[] args) throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        BundleProgress halfway = (done, total) -> {
            if (total > 0 && done * 2 >= total) {
                System.out.println("HALF");
                System.out.flush();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        new BundleReader(null, true, halfway).extract(Path.of(args[0]), Path.of(args[1]));
        System.out.println("DONE");
    }
}
