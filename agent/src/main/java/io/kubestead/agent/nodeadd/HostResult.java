package io.kubestead.agent.nodeadd;

import io.kubestead.agent.ssh.SshTarget;
import java.time.Duration;

/**
 * How adding one host ended.
 *
 * @param exitCode the remote join's exit status (-1 when it never ran or gave none)
 * @param detail one line: why it failed, or how the host key was judged when it joined
 */
public record HostResult(SshTarget target, String role, Outcome outcome, int exitCode, String detail, Duration took) {
    public enum Outcome {
        JOINED, JOIN_FAILED, UNREACHABLE, HOST_KEY_REFUSED, LOGIN_FAILED, ERROR;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public boolean joined() {
        return outcome == Outcome.JOINED;
    }
}
