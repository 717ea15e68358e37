package io.kubestead.installer.serve;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code installer serve} serves and how. {@code tlsCert}/{@code tlsKey} (PEM) switch to
 * HTTPS; {@code baseUrl} overrides the URL written into install.sh (e.g. behind a proxy).
 */
public record ServeConfig(Path root, String bind, int port, Optional<TlsFiles> tls, Optional<String> baseUrl) {

    /** A PEM certificate (chain) and its PEM private key. */
    public record TlsFiles(Path cert, Path key) {
    }

    public ServeConfig {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(bind, "bind");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
        }
        baseUrl = baseUrl.map(InstallScript::checkBaseUrl);
    }

    public String scheme() {
        return tls.isPresent() ? "https" : "http";
    }
}
