package io.kubestead.agent.join;

import java.time.Duration;

/** Waiting between polls; tests pass one that advances a fake clock. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;

    static Sleeper system() {
        return d -> Thread.sleep(d.toMillis());
    }
}
