package io.kubestead.agent.join;

import io.kubestead.agent.etcd.EtcdClient;
import io.kubestead.agent.etcd.EtcdMember;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Polls the member list in the background and remembers the most learners seen at once. */
public final class LearnerWatcher implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger maxLearners = new AtomicInteger();
    private final AtomicInteger polls = new AtomicInteger();
    private final Thread thread;

    public LearnerWatcher(EtcdClient client) {
        thread = new Thread(() -> {
            while (running.get()) {
                try {
                    int learners = (int) client.members().stream().filter(EtcdMember::learner).count();
                    maxLearners.accumulateAndGet(learners, Math::max);
                    polls.incrementAndGet();
                } catch (RuntimeException e) {
                    // a leader election in progress: keep watching
                }
                KubeadmEtcdJoin.sleep(10);
            }
        }, "learner-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    public int maxLearners() {
        return maxLearners.get();
    }

    public int polls() {
        return polls.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
