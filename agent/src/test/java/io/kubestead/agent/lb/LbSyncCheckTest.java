package io.kubestead.agent.lb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lb-sync check the timer runs, as a real sh script with a real kubectl against a stand-in API: the sync
 * command (the JVM in production; here a command that counts its runs) starts only when the masters or the
 * balancer files changed since the last successful sync.
 */
class LbSyncCheckTest {
    static final java.util.List<String> QUERY = io.kubestead.agent.join.ClusterNodes.argv(LbSyncUnits.KUBECONFIG, true);
    @TempDir
    Path dir;

    @Test
    void startsTheSyncOnlyWhenTheMastersOrTheFilesChanged() throws Exception {
        try (NodesApi api = new NodesApi()) {
            api.masters.add(new Master("m1", "10.0.0.5"));
            Path runs = dir.resolve("runs");
            Path fail = dir.resolve("fail");
            LbSyncUnits units = new LbSyncUnits(LbPaths.under(dir.toString()), dir + "/etc/kubestead/balancer.json",
                    dir + "/etc/kubernetes/admin.conf", dir + "/etc/kubernetes/kubelet.conf", dir + "/run/kubestead/lb-sync.stamp",
                    "if [ -e " + fail + " ]; then exit 3; fi; echo run >> " + runs, QUERY);
            Path script = dir.resolve("check.sh");
            Files.writeString(script, units.checkScript());
            io.kubestead.agent.host.ExecResult lint = Programs.run("shellcheck", "-s", "sh", script.toString());
            assertEquals(0, lint.exitCode(), lint.stdout() + lint.stderr());
            api.writeKubeconfig(dir.resolve("etc/kubernetes/kubelet.conf"));
            Files.createDirectories(dir.resolve("etc/kubestead/haproxy"));
            Files.writeString(dir.resolve("etc/kubestead/haproxy/haproxy.cfg"), "# Kubestead\n");

            io.kubestead.agent.host.ExecResult first = check(script);
            assertEquals(0, first.exitCode(), first.stdout() + first.stderr());
            assertEquals(1, runs(runs), "no stamp yet (as after a boot): it syncs");
            assertEquals(0, check(script).exitCode());
            assertEquals(0, check(script).exitCode());
            assertEquals(1, runs(runs), "nothing changed: no sync");
            assertEquals(3, api.nodeLists.get(), "each check asked the API");

            api.masters.add(new Master("m2", "10.0.0.6"));
            assertEquals(0, check(script).exitCode());
            assertEquals(2, runs(runs), "a new master: it syncs");

            Files.writeString(dir.resolve("etc/kubestead/haproxy/haproxy.cfg"), "# Kubestead\n# edited\n");
            assertEquals(0, check(script).exitCode());
            assertEquals(3, runs(runs), "a changed balancer file: it syncs");
            assertEquals(0, check(script).exitCode());
            assertEquals(3, runs(runs));

            api.masters.remove(1);
            Files.writeString(fail, "");
            assertEquals(3, check(script).exitCode(), "the sync's failure is the check's");
            Files.delete(fail);
            assertEquals(0, check(script).exitCode());
            assertEquals(4, runs(runs), "a failed sync left no stamp: the next check syncs again");

            api.close();
            io.kubestead.agent.host.ExecResult down = check(script);
            assertEquals(1, down.exitCode());
            assertTrue(down.stderr().contains("no masters from the API"), down.stderr());
            assertEquals(4, runs(runs), "no API: the balancer is left as it is, no sync started");
        }
    }

    @Test
    void theUnitRunsTheCheckAndNoMasterListMeansNoSync() throws Exception {
        assertTrue(LbSyncUnits.service().contains("ExecStart=/bin/sh " + LbSyncUnits.CHECK));
        String script = LbSyncUnits.standard(QUERY).checkScript();
        assertTrue(script.contains("lb_sync() { /opt/kubestead/bin/kubestead lb-sync; }"), script);
        assertTrue(script.contains("'/etc/kubernetes/admin.conf'") && script.contains("'/run/kubestead/lb-sync.stamp'"), script);
        try (NodesApi api = new NodesApi()) {
            Path runs = dir.resolve("runs");
            LbSyncUnits units = new LbSyncUnits(LbPaths.under(dir.toString()), dir + "/balancer.json",
                    dir + "/admin.conf", dir + "/kubelet.conf", dir + "/stamp", "echo run >> " + runs, QUERY);
            Path file = dir.resolve("check.sh");
            Files.writeString(file, units.checkScript());
            api.writeKubeconfig(dir.resolve("admin.conf"));
            io.kubestead.agent.host.ExecResult r = check(file);
            assertEquals(1, r.exitCode(), "an API that lists no masters is no answer");
            assertFalse(Files.exists(runs));
            assertFalse(Files.exists(dir.resolve("stamp")));
        }
    }

    /** As the service runs it: kubectl's cache where the unit puts it (here in the test's directory, not ~/.kube). */
    private io.kubestead.agent.host.ExecResult check(Path script) throws Exception {
        return new io.kubestead.agent.host.ProcessRunner().run(io.kubestead.agent.host.Command.of("sh", script.toString())
                .withEnv(java.util.Map.of("KUBECACHEDIR", dir.resolve("kubectl-cache").toString())));
    }

    private static int runs(Path file) throws Exception {
        return Files.exists(file) ? (int) Files.readAllLines(file).stream().filter(l -> l.equals("run")).count() : 0;
    }
}
