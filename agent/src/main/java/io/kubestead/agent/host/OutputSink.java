package io.kubestead.agent.host;

/** Receives a running command's output line by line, as it comes: the run log's feed. */
@FunctionalInterface
public interface OutputSink {
    OutputSink NONE = (line, stderr) -> { };

    void line(String line, boolean stderr);
}
