package io.kubestead.agent.preflight;

/** The outcome of a check; failures and warnings say what is wrong and how to fix it. */
public record CheckResult(Status status, String message) {
    public enum Status { PASS, WARN, FAIL }

    public static CheckResult pass(String message) {
        return new CheckResult(Status.PASS, message);
    }

    public static CheckResult warn(String message) {
        return new CheckResult(Status.WARN, message);
    }

    public static CheckResult fail(String message) {
        return new CheckResult(Status.FAIL, message);
    }
}
