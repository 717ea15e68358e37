package io.kubestead.agent.status;

import static io.kubestead.agent.status.StatusFixtures.GI;
import static io.kubestead.agent.status.StatusFixtures.NOW;
import static io.kubestead.agent.status.StatusFixtures.balancer;
import static io.kubestead.agent.status.StatusFixtures.cert;
import static io.kubestead.agent.status.StatusFixtures.etcd;
import static io.kubestead.agent.status.StatusFixtures.master;
import static io.kubestead.agent.status.StatusFixtures.member;
import static io.kubestead.agent.status.StatusFixtures.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdviceRulesTest {
    static final EtcdStatus HEALTHY_ETCD = etcd(member("m1", true, true), member("m2", true, false), member("m3", true, false));

    static List<Advice> advice(List<NodeStatus> nodes) {
        return AdviceRules.evaluate(nodes, HEALTHY_ETCD, balancer(), List.of(), NOW);
    }

    static List<NodeStatus> threeMasters() {
        return new ArrayList<>(List.of(master("m1", true, 0), master("m2", true, 0), master("m3", true, 0)));
    }

    @Test
    void threeTaintedMastersAndRoomyWorkersGiveNoAdvice() {
        List<NodeStatus> nodes = threeMasters();
        nodes.add(worker("w1", new Resources(4000, 8 * GI), new Resources(3000, 6 * GI))); // exactly 75%
        assertEquals(List.of(), advice(nodes));
    }

    @Test
    void aSingleMasterIsAdvisedWithWhatItsLossWouldDo() {
        List<Advice> a = advice(List.of(master("m1", true, 0)));
        assertEquals(1, a.size(), a.toString());
        assertEquals(Advice.Kind.MASTER_COUNT, a.get(0).kind());
        assertTrue(a.get(0).reason().contains("Losing 1 master stops the API"), a.get(0).reason());
        assertTrue(a.get(0).advice().contains("add two masters"), a.get(0).advice());
    }

    @Test
    void anEvenMasterCountIsAdvisedToBeOdd() {
        List<NodeStatus> nodes = threeMasters();
        nodes.add(master("m4", true, 0));
        List<Advice> a = advice(nodes);
        assertEquals(List.of(Advice.Kind.MASTER_COUNT), a.stream().map(Advice::kind).toList());
        assertTrue(a.get(0).reason().contains("3 masters also survive 1 failure"), a.get(0).reason());
        assertTrue(a.get(0).advice().contains("3 or 5"), a.get(0).advice());
    }

    @Test
    void untaintedMastersWithWorkloadsAreAdvisedDedicatedWorkers() {
        List<NodeStatus> nodes = List.of(master("m1", false, 2), master("m2", false, 0), master("m3", true, 5));
        List<Advice> a = advice(nodes);
        assertEquals(1, a.size(), a.toString());
        assertEquals(Advice.Kind.MASTERS_CARRY_WORKLOADS, a.get(0).kind());
        assertEquals("m1", a.get(0).subject());
        assertTrue(a.get(0).reason().contains("runs 2 workload pods"), a.get(0).reason());
        assertTrue(a.get(0).advice().contains("taint-control-plane"), a.get(0).advice());
    }

    @Test
    void workersAboveSeventyFivePercentOfCpuOrMemoryAreNamed() {
        List<NodeStatus> nodes = threeMasters();
        nodes.add(worker("w-cpu", new Resources(2000, 8 * GI), new Resources(1600, GI)));
        nodes.add(worker("w-mem", new Resources(2000, 4 * GI), new Resources(100, 3 * GI + (GI / 10))));
        nodes.add(worker("w-ok", new Resources(2000, 4 * GI), new Resources(1500, 3 * GI)));
        List<Advice> a = advice(nodes);
        assertEquals(List.of("w-cpu", "w-mem"), a.stream().map(Advice::subject).toList());
        assertTrue(a.get(0).reason().contains("CPU 80% (1600m of 2000m)"), a.get(0).reason());
        assertTrue(a.get(1).reason().contains("memory 77% (3174Mi of 4096Mi)"), a.get(1).reason());
        assertTrue(a.stream().allMatch(x -> x.kind() == Advice.Kind.WORKER_CAPACITY));
    }

    @Test
    void certificatesUnderThirtyDaysAreAdvisedRenewal() {
        List<CertificateStatus> certs = List.of(cert("apiserver", Duration.ofDays(29)), cert("admin.conf", Duration.ofDays(31)),
                cert("etcd-peer", Duration.ofDays(-2)));
        List<Advice> a = AdviceRules.evaluate(threeMasters(), HEALTHY_ETCD, balancer(), certs, NOW);
        assertEquals(List.of("apiserver", "etcd-peer"), a.stream().map(Advice::subject).toList());
        assertTrue(a.get(0).reason().contains("expires in 29d"), a.get(0).reason());
        assertTrue(a.get(0).advice().contains("kubestead certs renew apiserver"), a.get(0).advice());
        assertTrue(a.get(1).reason().contains("expired 2d ago"), a.get(1).reason());
    }

    @Test
    void anUnhealthyEtcdMemberIsAdvisedWithWhatQuorumHasLeft() {
        EtcdStatus one = etcd(member("m1", true, true), member("m2", true, false), member("m3", false, false));
        List<Advice> a = AdviceRules.evaluate(threeMasters(), one, balancer(), List.of(), NOW);
        assertEquals(List.of(Advice.Kind.ETCD_MEMBER_UNHEALTHY), a.stream().map(Advice::kind).toList());
        assertEquals("m3", a.get(0).subject());
        assertTrue(a.get(0).reason().contains("can lose 0 more voters"), a.get(0).reason());
        EtcdStatus two = etcd(member("m1", true, true), member("m2", false, false), member("m3", false, false));
        List<Advice> b = AdviceRules.evaluate(threeMasters(), two, balancer(), List.of(), NOW);
        assertEquals(2, b.size());
        assertTrue(b.get(0).reason().contains("lost its quorum (1 of 3 voters healthy, 2 needed)"), b.get(0).reason());
    }

    @Test
    void notReadyNodesAndDownBackendsAreFindings() {
        List<NodeStatus> nodes = threeMasters();
        nodes.add(StatusFixtures.node("w1", NodeStatus.Role.WORKER, NodeStatus.Readiness.UNKNOWN, List.of(),
                new Resources(1000, GI), Resources.NONE, 0));
        List<Advice> a = AdviceRules.evaluate(nodes, HEALTHY_ETCD,
                balancer(new BalancerStatus.BackendStatus("m2", "10.0.0.2:6443", false, "connection refused")), List.of(), NOW);
        assertEquals(List.of(Advice.Kind.NODE_NOT_READY, Advice.Kind.BACKEND_DOWN), a.stream().map(Advice::kind).toList());
        assertTrue(a.get(0).advice().contains("kubestead node purge w1"), a.get(0).advice());
        assertTrue(a.get(0).reason().contains("not reporting (Ready Unknown) for 2h"), a.get(0).reason());
    }

    @Test
    void aPurgedNodeThatRegisteredAgainIsToldToResetAndRejoin() {
        NodeStatus back = master("cp-3", false, 0); // created 3 days before NOW
        PurgeRecord.Entry before = new PurgeRecord.Entry("cp-3", NOW.minus(Duration.ofDays(4)), "test", "10.0.0.3", "abc");
        PurgeRecord.Entry after = new PurgeRecord.Entry("cp-3", NOW.minus(Duration.ofDays(1)), "test", "10.0.0.3", "abc");
        List<Advice> a = AdviceRules.purgedNodesBack(List.of(back), List.of(before));
        assertEquals(List.of(Advice.Kind.PURGED_NODE_BACK), a.stream().map(Advice::kind).toList());
        assertTrue(a.get(0).advice().contains("kubestead join-script master"), a.get(0).advice());
        assertTrue(a.get(0).reason().startsWith("cp-3 was purged from the cluster at"), a.get(0).reason());
        // the Node is older than the purge record: not a comeback (a record of an earlier purge of that name)
        assertEquals(List.of(), AdviceRules.purgedNodesBack(List.of(back), List.of(after)));
    }

    @Test
    void failuresTolerableCountsHealthyVotersAboveQuorum() {
        assertEquals(1, HEALTHY_ETCD.failuresTolerable());
        assertEquals(2, etcd(member("a", true, true), member("b", true, false), member("c", true, false),
                member("d", true, false), member("e", true, false)).failuresTolerable());
        EtcdStatus lost = etcd(member("a", true, true), member("b", false, false), member("c", false, false));
        assertEquals(0, lost.failuresTolerable());
        assertTrue(!lost.hasQuorum());
    }
}
