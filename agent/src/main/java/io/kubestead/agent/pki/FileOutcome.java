package io.kubestead.agent.pki;

/** What the PKI did with one file: for a plan or a progress line. */
public record FileOutcome(String path, Status status, String reason, String backupPath) {
    public enum Status { CREATED, KEPT, REISSUED }

    public static FileOutcome created(String path, String reason) {
        return new FileOutcome(path, Status.CREATED, reason, null);
    }

    public static FileOutcome kept(String path) {
        return new FileOutcome(path, Status.KEPT, "valid", null);
    }

    public static FileOutcome reissued(String path, String reason, String backupPath) {
        return new FileOutcome(path, Status.REISSUED, reason, backupPath);
    }

    /** e.g. {@code reissued /etc/kubernetes/pki/apiserver.crt (missing SAN 10.0.0.10; old one kept as ...)}. */
    public String line() {
        String what = status.name().toLowerCase(java.util.Locale.ROOT) + " " + path;
        return switch (status) {
            case KEPT -> what;
            case CREATED -> reason == null || reason.isEmpty() ? what : what + " (" + reason + ")";
            case REISSUED -> what + " (" + reason + (backupPath == null ? "" : "; old one kept as " + backupPath) + ")";
        };
    }
}
