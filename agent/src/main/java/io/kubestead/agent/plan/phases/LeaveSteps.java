package io.kubestead.agent.plan.phases;

import io.kubestead.agent.controlplane.LocalControlPlane;
import io.kubestead.agent.controlplane.Probe;
import io.kubestead.agent.controlplane.StaticPods;
import io.kubestead.agent.host.Command;
import io.kubestead.agent.host.ExecResult;
import io.kubestead.agent.kubeadm.Kubeadm;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.reset.EtcdLeave;
import io.kubestead.agent.reset.ResetRefused;
import java.time.Duration;

/**
 * Leaving the cluster before kubeadm reset. A master: check that etcd keeps its quorum without it (before any
 * change), delete its Node while the API is whole, stop its API server, then remove its etcd member through the
 * other members. A
 * worker cannot delete its own Node without admin credentials, so it says what to run on a master.
 */
final class LeaveSteps {
    /** Written once the member is gone, so a rerun after a later failure does not ask the stopped local etcd. */
    static final String LEFT_ETCD = CleanupSteps.STATE_DIR + "/reset-left-etcd";
    private final ResetContext rc;
    private final String node;
    /** The check's answer, for the later steps of the same run. */
    private EtcdLeave.Verdict verdict;

    LeaveSteps(ResetContext rc) {
        this.rc = rc;
        this.node = rc.target().nodeName();
    }

    Phase etcdCheck() {
        return new ResetStep("leave/etcd-check", "Check that etcd keeps its quorum without this master", this::check);
    }

    Phase node() {
        return rc.target().master()
                ? new ResetStep("leave/node", "Delete this node's Node from the cluster", this::deleteNode)
                : new ResetStep("leave/node", "Say how to delete this worker's Node on a master", this::adviseNode);
    }

    /**
     * Before the etcd member goes: once it is removed, this master's etcd stops and its API server, still in every
     * balancer's list until lb-sync drops it, lets requests hang (the node lab saw kubectl time out through a
     * worker's balancer). Stopped first, it refuses connections, and HAProxy sends them to another master.
     */
    Phase apiServer() {
        return new ResetStep("leave/api-server", "Stop this master's API server, so every balancer sends requests to"
                + " the other masters", this::stopApiServer);
    }

    Phase etcdMember() {
        return new ResetStep("leave/etcd-member", "Remove this master's etcd member", this::removeMember);
    }

    private EtcdLeave leave(PhaseContext ctx) {
        return new EtcdLeave(ctx.host(), rc.etcd(), rc.etcdTimeout());
    }

    private void check(PhaseContext ctx) {
        var left = ctx.host().readString(LEFT_ETCD);
        if (left.isPresent()) {
            // an earlier reset removed the member and then failed; this master's etcd has stopped since
            verdict = new EtcdLeave.Verdict(EtcdLeave.Outcome.NOT_A_MEMBER, "an earlier reset already removed the"
                    + " etcd member " + left.get().strip() + "; nothing to check", java.util.List.of());
            ctx.progress().info(verdict.message());
            return;
        }
        verdict = leave(ctx).check(node);
        if (!verdict.blocks()) {
            ctx.progress().info(verdict.message());
            return;
        }
        String refusal = "refusing to reset " + node + ": " + verdict.message();
        if (ctx.dryRun()) {
            ctx.progress().warn("a real reset would stop here (unless forced): " + refusal);
        } else if (rc.force()) {
            ctx.progress().warn(verdict.message() + "; going on because of the word force");
        } else {
            throw new ResetRefused(refusal + ". Nothing was changed. Add the word force to reset anyway, knowing that"
                    + " the cluster may lose its quorum.");
        }
    }

    private boolean lastMaster() {
        return verdict != null && verdict.outcome() == EtcdLeave.Outcome.LAST_MEMBER;
    }

    private void deleteNode(PhaseContext ctx) {
        if (lastMaster()) {
            ctx.progress().info(node + " is the last master: the cluster goes away with it, so there is no Node to delete");
            return;
        }
        if (!ctx.host().exists(Kubeadm.ADMIN_KUBECONFIG)) {
            ctx.progress().info(Kubeadm.ADMIN_KUBECONFIG + " is gone; delete the Node on another master: kubectl delete node " + node);
            rc.report().left("the Node " + node + " in the cluster: run 'kubectl delete node " + node + "' on a master");
            return;
        }
        ExecResult r = ctx.host().run(Command.of("kubectl", "--kubeconfig", Kubeadm.ADMIN_KUBECONFIG, "delete", "node",
                node, "--ignore-not-found").withTimeout(Duration.ofMinutes(2)));
        if (r.ok()) {
            rc.report().removed("the Node " + node + " from the cluster");
        } else if (rc.force()) {
            ctx.progress().warn("could not delete the Node " + node + " (" + r.stderr().strip() + "); going on because of force");
            rc.report().left("the Node " + node + " in the cluster: run 'kubectl delete node " + node + "' on a master");
        } else {
            r.check();
        }
    }

    private void adviseNode(PhaseContext ctx) {
        if (!ctx.host().exists("/etc/kubernetes/kubelet.conf")) {
            ctx.progress().info("this host is not joined to a cluster; no Node to delete");
            return;
        }
        String how = "run 'kubectl delete node " + node + "' on a master (a worker has no admin credentials)";
        ctx.progress().info("to remove this worker from the cluster's node list, " + how);
        rc.report().left("the Node " + node + " in the cluster: " + how);
    }

    private void stopApiServer(PhaseContext ctx) throws InterruptedException {
        String manifest = StaticPods.manifest(LocalControlPlane.API_SERVER);
        if (verdict == null || verdict.outcome() != EtcdLeave.Outcome.SAFE || !ctx.host().exists(manifest)) {
            return; // the last master (no balancer has another), or no API server runs here
        }
        if (ctx.dryRun()) {
            ctx.progress().info("would move " + manifest + " to " + StaticPods.PAUSED + " and wait until the API server stopped");
            return;
        }
        Probe probe;
        try {
            probe = new LocalControlPlane(ctx.host()).probe(LocalControlPlane.API_SERVER);
        } catch (RuntimeException e) {
            ctx.progress().info("the API server's manifest names no address to watch (" + e.getMessage() + "); kubeadm"
                    + " reset stops it");
            return;
        }
        new StaticPods(ctx.host(), java.time.Clock.systemUTC(), rc.sleeper()::sleep, ctx.progress()::info)
                .stop(LocalControlPlane.API_SERVER, probe, Duration.ofMinutes(2));
    }

    private void removeMember(PhaseContext ctx) throws InterruptedException {
        if (verdict == null || verdict.outcome() != EtcdLeave.Outcome.SAFE) {
            if (verdict != null && verdict.blocks() && !ctx.dryRun()) {
                String id = verdict.members().stream().filter(m -> m.name().equals(node)).findFirst()
                        .map(m -> m.idHex()).orElse("ID");
                rc.report().left("the etcd member of " + node + ": once etcd is healthy, remove it on another master"
                        + " with 'etcdctl member remove " + id + "'");
            }
            ctx.progress().info("no etcd member to remove" + (verdict == null ? "" : ": " + verdict.message()));
            return;
        }
        if (ctx.dryRun()) {
            ctx.progress().info("would remove etcd member " + node + " through the other members");
            return;
        }
        // real time: etcd's refusal window passes in real seconds, whatever clock the run reports with
        leave(ctx).remove(node, rc.etcdRetry(), java.time.Clock.systemUTC(), rc.sleeper(), ctx.progress()::info)
                .ifPresent(m -> {
                    ctx.host().writeString(LEFT_ETCD, m.label() + "\n", 0644);
                    rc.report().removed("the etcd member " + m.label() + " from the cluster");
                });
    }
}
