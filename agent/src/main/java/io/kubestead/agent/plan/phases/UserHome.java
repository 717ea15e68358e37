package io.kubestead.agent.plan.phases;

import io.kubestead.agent.host.Host;
import java.util.Optional;

/**
 * A user's home directory from the passwd database ({@code getent passwd NAME}, through the host, so a dry-run
 * records the question), not guessed as /home/NAME: homes elsewhere (/var/lib/x, /export/home/x, LDAP) are common.
 */
final class UserHome {
    private UserHome() {
    }

    /** Empty when the user is unknown or the entry's home is not a plain absolute directory other than /. */
    static Optional<String> of(Host host, String user) {
        var r = host.run("getent", "passwd", user);
        if (!r.ok()) {
            return Optional.empty();
        }
        for (String line : r.stdout().lines().toList()) {
            String[] f = line.split(":", -1);
            if (f.length == 7 && f[0].equals(user)) {
                String home = f[5];
                boolean plain = home.startsWith("/") && !home.equals("/") && !home.contains("//")
                        && !("/" + home + "/").contains("/../") && !("/" + home + "/").contains("/./")
                        && home.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
                return plain ? Optional.of(home.endsWith("/") ? home.substring(0, home.length() - 1) : home)
                        : Optional.empty();
            }
        }
        return Optional.empty();
    }
}
