package io.kubestead.agent.pki;

import java.util.List;

/** Every file the PKI touched or checked, in write order, and the CA's discovery hash for join commands. */
public record PkiResult(List<FileOutcome> files, String caHash) {
    public PkiResult {
        files = List.copyOf(files);
    }

    public List<String> lines() {
        return files.stream().map(FileOutcome::line).toList();
    }

    public List<FileOutcome> changed() {
        return files.stream().filter(f -> f.status() != FileOutcome.Status.KEPT).toList();
    }
}
