package io.kubestead.agent.plan.phases;

import io.kubestead.agent.console.ConsolePaths;
import io.kubestead.agent.console.PasswordHash;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.spec.ConsoleSettings;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * Runs {@code kubestead console} as the systemd service kubestead-console, with its password: the one in
 * console-password-file, else (when none is set yet) a generated one, kept in a 0600 file until the install shows
 * it once. Only the salted hash stays. With {@code console=off} the service is stopped and its unit removed.
 */
final class ConsolePhase implements Phase {
    private final ConsoleSettings settings;
    private final SecureRandom random;

    ConsolePhase(ConsoleSettings settings, SecureRandom random) {
        this.settings = settings;
        this.random = random;
    }

    String unit() {
        return """
                [Unit]
                Description=Kubestead console (https, port %d)
                After=network-online.target kubelet.service
                Wants=network-online.target

                [Service]
                ExecStart=%s/bin/kubestead console port=%d
                Restart=always
                RestartSec=5
                NoNewPrivileges=yes
                PrivateTmp=yes

                [Install]
                WantedBy=multi-user.target
                """.formatted(settings.port(), AgentPhase.HOME, settings.port());
    }

    @Override
    public String id() {
        return "console";
    }

    @Override
    public String title() {
        return settings.enabled() ? "Serve the console (kubestead-console, https port " + settings.port() + ")"
                : "Turn the console off (console=off)";
    }

    @Override
    public boolean done(PhaseContext ctx) {
        if (!settings.enabled()) {
            return !ctx.host().exists(ConsolePaths.UNIT);
        }
        return ctx.host().readString(ConsolePaths.UNIT).equals(Optional.of(unit())) && passwordInPlace(ctx);
    }

    private boolean passwordInPlace(PhaseContext ctx) {
        Optional<byte[]> stored = ctx.host().readFile(ConsolePaths.PASSWORD_HASH);
        if (stored.isEmpty()) {
            return false;
        }
        if (settings.passwordFileValue().isEmpty()) {
            return true;
        }
        char[] wanted = ConsoleSettings.password(settings.passwordFile());
        try {
            return PasswordHash.parse(stored.get(), ConsolePaths.PASSWORD_HASH).matches(wanted);
        } catch (IllegalStateException e) {
            return false;
        } finally {
            Arrays.fill(wanted, '\0');
        }
    }

    @Override
    public void run(PhaseContext ctx) {
        var host = ctx.host();
        if (!settings.enabled()) {
            if (host.exists(ConsolePaths.UNIT)) {
                host.run("systemctl", "disable", "--now", ConsolePaths.SERVICE).check();
                host.delete(ConsolePaths.UNIT);
                host.run("systemctl", "daemon-reload").check();
            }
            return;
        }
        host.mkdirs(ConsolePaths.DIR, 0700);
        if (!passwordInPlace(ctx)) {
            char[] password = settings.passwordFileValue().map(ConsoleSettings::password)
                    .orElseGet(() -> PasswordHash.generatePassword(random).toCharArray());
            try {
                // the password to show first, then its hash: killed in between, a rerun finds no hash and starts over,
                // so a hash is never kept whose password nobody can see
                if (settings.passwordFileValue().isEmpty()) {
                    host.writeString(ConsolePaths.INITIAL_PASSWORD, new String(password) + "\n", 0600);
                } else {
                    host.delete(ConsolePaths.INITIAL_PASSWORD);
                }
                host.writeString(ConsolePaths.PASSWORD_HASH, PasswordHash.create(password, random).encode(), 0600);
            } finally {
                Arrays.fill(password, '\0');
            }
        }
        boolean changed = !host.readString(ConsolePaths.UNIT).equals(Optional.of(unit()));
        if (changed) {
            host.writeString(ConsolePaths.UNIT, unit(), 0644);
            host.run("systemctl", "daemon-reload").check();
        }
        host.run("systemctl", "enable", ConsolePaths.SERVICE).check();
        host.run("systemctl", changed ? "restart" : "start", ConsolePaths.SERVICE).check();
    }
}
