package io.kubestead.agent.preflight;

import io.kubestead.agent.host.Host;

/** One preflight check of a host's capabilities: what is wrong and how to fix it, never an OS-version allowlist. */
public interface Check {
    /** The name {@code preflight-ignore=} takes. */
    String name();

    String description();

    CheckResult run(Host host);
}
