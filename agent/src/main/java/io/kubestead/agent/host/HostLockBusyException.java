package io.kubestead.agent.host;

import java.nio.file.Path;
import java.time.Duration;

/** Another command holds the host lock; the message names it, its pid and its start time. */
public class HostLockBusyException extends HostException {
    private final transient HostLock.Holder holder;

    public HostLockBusyException(Path file, HostLock.Holder holder, Duration waited) {
        super(holder.describe() + " holds the host lock " + file
                + (waited.isZero() ? "" : "; waited " + ExecResult.seconds(waited) + " for it")
                + ": run this again once it has finished");
        this.holder = holder;
    }

    public HostLock.Holder holder() {
        return holder;
    }
}
