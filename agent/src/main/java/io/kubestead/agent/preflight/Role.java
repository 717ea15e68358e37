package io.kubestead.agent.preflight;

/** What the host is about to become: ports and resources differ. */
public enum Role { MASTER, WORKER }
