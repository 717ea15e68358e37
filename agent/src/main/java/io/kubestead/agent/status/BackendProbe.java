package io.kubestead.agent.status;

import io.kubestead.agent.etcd.PemTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks an API server (or a balancer in front of some) for {@code /readyz}, as HAProxy's check does. */
public interface BackendProbe {
    /** The answer: ready or not, and a few words on what came back. */
    record Answer(boolean ready, String detail) {
    }

    /** @param hostPort {@code 10.0.0.11:6443} or {@code [fd00::1]:6443} */
    Answer readyz(String hostPort);

    /** Over HTTPS trusting only the cluster CA; /readyz is open to anonymous callers in a kubeadm cluster. */
    static BackendProbe trusting(String caPem, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().sslContext(PemTls.trusting(caPem))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        return hostPort -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + hostPort + "/readyz")).timeout(timeout)
                    .GET().build();
            try {
                HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                return new Answer(r.statusCode() == 200, r.statusCode() == 200 ? "ready" : "HTTP " + r.statusCode());
            } catch (IOException e) {
                return new Answer(false, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(false, "interrupted");
            }
        };
    }
}
