package io.kubestead.agent.hostsetup;

import io.kubestead.agent.host.Host;
import java.util.Optional;

/** The host's package manager, found by capability (which program exists), not by OS name and version. */
public enum PackageManager {
    APT("/usr/bin/apt-get"), DNF("/usr/bin/dnf"), YUM("/usr/bin/yum");

    private final String program;

    PackageManager(String program) {
        this.program = program;
    }

    public String program() {
        return program;
    }

    public static Optional<PackageManager> detect(Host host) {
        for (PackageManager pm : values()) {
            if (host.exists(pm.program)) {
                return Optional.of(pm);
            }
        }
        return Optional.empty();
    }
}
