package io.kubestead.agent.join;

/** The API server refused or failed a request; {@code status} is the HTTP status (0 when unreachable). */
public class KubeApiException extends RuntimeException {
    private final int status;

    public KubeApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public KubeApiException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    public int status() {
        return status;
    }

    public boolean conflict() {
        return status == 409;
    }
}
