package io.kubestead.agent.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hashes file chunks on one thread and writes them on another while the reading thread decompresses the next
 * ones, so decompression, SHA-256 and disk writes (each 0.4-0.9 s per GiB here) all overlap. Memory is fixed:
 * {@link #DEPTH} chunks of {@link #CHUNK} bytes. Chunks are processed strictly in order; a failure on either
 * worker is rethrown to the reader at its next call.
 */
final class HashingWriter implements AutoCloseable {
    static final int CHUNK = 128 << 10;
    static final int DEPTH = 16;

    private record Task(byte[] data, int length, OutputStream out, MessageDigest sha, boolean last) {
    }

    private static final Task STOP = new Task(null, 0, null, null, true);

    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(DEPTH);
    private final BlockingQueue<Task> work = new ArrayBlockingQueue<>(DEPTH + 2);
    private final BlockingQueue<Task> hashed = new ArrayBlockingQueue<>(DEPTH + 2);
    private final BlockingQueue<Object> fileDone = new ArrayBlockingQueue<>(1);
    private final Thread hasher;
    private final Thread writer;
    private volatile Throwable failure;
    private boolean closed;

    HashingWriter() {
        for (int i = 0; i < DEPTH; i++) {
            free.add(new byte[CHUNK]);
        }
        hasher = new Thread(this::hash, "bundle-hash");
        hasher.setDaemon(true);
        writer = new Thread(this::write, "bundle-write");
        writer.setDaemon(true);
        writer.start();
        hasher.start();
    }

    /** A free chunk to fill (blocks while all are queued). */
    byte[] take() throws IOException {
        try {
            byte[] b = free.take();
            rethrow();
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Queues the first {@code length} bytes of {@code chunk} (from {@link #take}) for {@code sha} and {@code out}. */
    void submit(byte[] chunk, int length, OutputStream out, MessageDigest sha) throws IOException {
        put(new Task(chunk, length, out, sha, false));
    }

    /** Waits until every chunk of the current file is hashed and written, then closes {@code out}. */
    void finishFile(OutputStream out) throws IOException {
        put(new Task(null, 0, out, null, true));
        try {
            Object result = fileDone.take();
            if (result instanceof Throwable t) {
                failure = t;
            }
            rethrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Returns an unused chunk from {@link #take} (end of an entry). */
    void giveBack(byte[] chunk) {
        free.add(chunk);
    }

    private void put(Task t) throws IOException {
        try {
            rethrow();
            work.put(t);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void rethrow() throws IOException {
        Throwable t = failure;
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t != null) {
            throw new IOException(t);
        }
    }

    /** First stage: hashes each chunk (after a failure, only passes chunks on) and hands it to the writer. */
    private void hash() {
        try {
            while (true) {
                Task t = work.take();
                if (t != STOP && !t.last() && failure == null) {
                    try {
                        t.sha().update(t.data(), 0, t.length());
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                }
                hashed.put(t);
                if (t == STOP) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Second stage: writes each hashed chunk, returns it to the free list, and closes each finished file. */
    private void write() {
        Throwable error = null;
        try {
            while (true) {
                Task t = hashed.take();
                if (t == STOP) {
                    return;
                }
                if (t.last()) {
                    Object result = Boolean.TRUE;
                    try {
                        t.out().close();
                    } catch (IOException | RuntimeException e) {
                        result = e;
                    }
                    if (error != null) {
                        result = error;
                        error = null;
                    }
                    fileDone.put(result);
                    continue;
                }
                try {
                    if (error == null && failure == null) {
                        t.out().write(t.data(), 0, t.length());
                    }
                } catch (IOException | RuntimeException e) {
                    error = e;
                    failure = e;
                } finally {
                    free.add(t.data());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            work.put(STOP);
            hasher.join();
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
