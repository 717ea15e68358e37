package io.kubestead.installer.serve;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code installer serve} serves and how. {@code tlsCert}/{@code tlsKey} (PEM) switch to
 * HTTPS; {@code baseUrl} overrides the URL written into install.sh (e.g. behind a proxy); {@code bundleKey} is
 * pinned into install.sh, which then checks SHA256SUMS.sig and air-gap bundles with it.
 */
public record ServeConfig(Path root, String bind, int port, Optional<TlsFiles> tls, Optional<String> baseUrl,
                          Optional<PublicKey> bundleKey) {

    public ServeConfig(Path root, String bind, int port, Optional<TlsFiles> tls, Optional<String> baseUrl) {
        this(root, bind, port, tls, baseUrl, Optional.empty());
    }

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
        Objects.requireNonNull(bundleKey, "bundleKey");
    }

    public String scheme() {
        return tls.isPresent() ? "https" : "http";
    }
}
