package io.kubestead.agent.ssh;

/** What a connection's host-key check found; {@link #message} is the one line shown when it stops the connection. */
public record HostKeyCheck(Result result, String host, String type, String fingerprint, String knownHosts) {
    public enum Result {
        /** The key is the one known_hosts holds for the host. */
        KNOWN,
        /** A new host, its key accepted (flag or answer) and recorded. */
        ACCEPTED,
        /** A new host, its key not accepted. */
        REFUSED,
        /** known_hosts holds another key of this type for the host: always refused. */
        CHANGED
    }

    public String message() {
        return switch (result) {
            case KNOWN -> host + ": host key " + type + " " + fingerprint + " known";
            case ACCEPTED -> host + ": new host key " + type + " " + fingerprint + " accepted and recorded in " + knownHosts;
            case REFUSED -> host + ": unknown host key " + type + " " + fingerprint + " not accepted; compare it with"
                    + " 'ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub' on the host, then run again with --accept-new-host-key"
                    + " or answer yes";
            case CHANGED -> host + ": the host key has CHANGED (now " + type + " " + fingerprint + ", " + knownHosts
                    + " holds another): refused. If the host was reinstalled, remove the old key with 'ssh-keygen -R "
                    + host + " -f " + knownHosts + "' and run again";
        };
    }
}
