package io.kubestead.agent.pki;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Generates many key pairs at once, one task per key, since RSA key generation dominates the PKI's time. */
public final class KeyPool {
    private final int threads;

    public KeyPool(int threads) {
        this.threads = Math.max(1, threads);
    }

    public static KeyPool perCpu() {
        return new KeyPool(Runtime.getRuntime().availableProcessors());
    }

    public List<KeyPair> generate(KeyAlgorithm alg, int count) {
        return generate(java.util.Collections.nCopies(count, alg));
    }

    /** One key per entry, in the same order. */
    public List<KeyPair> generate(List<KeyAlgorithm> algs) {
        int count = algs.size();
        if (count == 0) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, count), r -> {
            Thread t = new Thread(r, "keygen");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<KeyPair>> futures = new ArrayList<>();
            for (KeyAlgorithm alg : algs) {
                // A SecureRandom per key keeps the threads from contending on one generator.
                futures.add(pool.submit(() -> alg.generate(new SecureRandom())));
            }
            List<KeyPair> out = new ArrayList<>();
            for (Future<KeyPair> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating keys", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("key generation failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
