package io.kubestead.agent.plan.phases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubestead.agent.controlplane.MaintenanceUnits;
import io.kubestead.agent.host.ActionLog;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.host.RootedHost;
import io.kubestead.agent.plan.ConsoleProgress;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.plan.StateStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upkeep timers a master gets, their commands, and etcd-backup=0 taking the backup timer away again. */
class MaintenancePhaseTest {
    @TempDir
    Path tmp;
    final List<String> commands = new ArrayList<>();

    private PhaseContext context() {
        ActionLog log = new ActionLog();
        RootedHost host = new RootedHost("h", tmp, c -> {
            commands.add(String.join(" ", c.argv()));
            return new ExecResult(c, 0, "", "");
        }, log);
        StringWriter out = new StringWriter();
        return new PhaseContext(host, new ConsoleProgress(new PrintWriter(out), new PrintWriter(out), false), log,
                Clock.systemUTC(), false, new StateStore(host));
    }

    @Test
    void theFirstMasterRenewsDailyAndBacksUpOnItsInterval() throws Exception {
        PhaseContext ctx = context();
        MaintenancePhase every6h = new MaintenancePhase(Duration.ofHours(6));
        assertFalse(every6h.done(ctx));
        every6h.run(ctx);
        assertTrue(every6h.done(ctx));
        assertTrue(Files.readString(tmp.resolve(MaintenanceUnits.CERTS_SERVICE.substring(1)))
                .contains("ExecStart=/opt/kubestead/bin/kubestead certs renew due"));
        assertTrue(Files.readString(tmp.resolve(MaintenanceUnits.CERTS_TIMER.substring(1))).contains("OnCalendar=daily"));
        assertTrue(Files.readString(tmp.resolve(MaintenanceUnits.BACKUP_SERVICE.substring(1)))
                .contains("ExecStart=/opt/kubestead/bin/kubestead etcd snapshot --retain 12"));
        assertTrue(Files.readString(tmp.resolve(MaintenanceUnits.BACKUP_TIMER.substring(1))).contains("OnUnitActiveSec=21600s"));
        assertEquals(List.of("systemctl daemon-reload",
                "systemctl enable --now kubestead-certs-renew.timer kubestead-etcd-backup.timer"), commands);
        assertFalse(new MaintenancePhase(Duration.ofHours(1)).done(ctx), "another interval rewrites the timer");

        commands.clear();
        MaintenancePhase off = new MaintenancePhase(Duration.ZERO);
        assertFalse(off.done(ctx));
        off.run(ctx);
        assertTrue(off.done(ctx));
        assertFalse(Files.exists(tmp.resolve(MaintenanceUnits.BACKUP_TIMER.substring(1))));
        assertFalse(Files.exists(tmp.resolve(MaintenanceUnits.BACKUP_SERVICE.substring(1))));
        assertEquals(List.of("systemctl disable --now kubestead-etcd-backup.timer", "systemctl daemon-reload",
                "systemctl enable --now kubestead-certs-renew.timer"), commands);
    }

    @Test
    void systemdAcceptsTheUnits() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("units"));
        for (var e : List.of(List.of("kubestead-certs-renew.service", MaintenanceUnits.certsService()),
                List.of("kubestead-certs-renew.timer", MaintenanceUnits.certsTimer()),
                List.of("kubestead-etcd-backup.service", MaintenanceUnits.backupService(12)),
                List.of("kubestead-etcd-backup.timer", MaintenanceUnits.backupTimer(Duration.ofMinutes(90))))) {
            Files.writeString(dir.resolve(e.get(0)), e.get(1));
        }
        Process p = new ProcessBuilder("systemd-analyze", "verify", "--man=no",
                dir.resolve("kubestead-certs-renew.timer").toString(), dir.resolve("kubestead-etcd-backup.timer").toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        // the agent is not installed on the test machine: only that complaint is allowed
        for (String line : output.lines().toList()) {
            assertTrue(line.contains("/opt/kubestead/bin/kubestead") || line.isBlank(), output);
        }
    }
}
