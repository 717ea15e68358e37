package io.kubestead.agent.status;

/** CPU in millicores and memory in bytes: a node's allocatable, or what its pods request. */
public record Resources(long cpuMillis, long memoryBytes) {
    public static final Resources NONE = new Resources(0, 0);

    public Resources plus(Resources o) {
        return new Resources(cpuMillis + o.cpuMillis, memoryBytes + o.memoryBytes);
    }

    /** Per dimension, the larger: how the scheduler counts init containers against the app containers. */
    public Resources max(Resources o) {
        return new Resources(Math.max(cpuMillis, o.cpuMillis), Math.max(memoryBytes, o.memoryBytes));
    }
}
