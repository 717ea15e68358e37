package io.kubestead.agent.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubestead.agent.etcd.EtcdMember;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class QuorumGuardTest {
    /**
     * voters: n voting members with ids 1..n; healthy: ids that answer; remove: target id (0 = the learner id 99).
     */
    @ParameterizedTest(name = "n={0} healthy={1} remove={2} -> {3}")
    @CsvSource(delimiter = ';', value = {
        "1; 1;     1; false", // last member
        "2; 1 2;   1; true",  // 1 left, needs 1, has 1
        "2; 1;     1; false", // the other is down: 0 < 1
        "2; 1;     2; true",  // removing the dead one leaves the healthy one
        "3; 1 2 3; 1; true",  // 2 left, needs 2
        "3; 1 2;   1; false", // 2 left, 1 healthy < 2
        "3; 1 2;   3; true",  // removing the dead one: 2 healthy of 2
        "3; 1;     2; false",
        "4; 1 2 3 4; 1; true", // 3 left, needs 2
        "4; 1 2 3; 1; true",   // 3 left, 2 healthy (2,3) >= 2
        "4; 1 2;   1; false",  // 3 left, 1 healthy < 2
        "5; 1 2 3 4 5; 5; true",
        "5; 1 2 3; 1; false",  // 4 left, 2 healthy < 3
        "5; 1 2 3 4; 1; true", // 4 left, 3 healthy >= 3
        "5; 2 3 4; 1; true",   // removing a dead one: 4 left, 3 healthy
        "3; 1 2 3; 0; true",   // learner: never counts
        "1; 1;     0; true",   // learner next to the last voter
        "3; 1 2 3; 42; true"   // not a member
    })
    void table(int n, String healthy, long remove, boolean allowed) {
        List<EtcdMember> members = new ArrayList<>();
        for (long id = 1; id <= n; id++) {
            members.add(member(id, false));
        }
        members.add(member(99, true));
        Set<Long> ok = new HashSet<>();
        for (String s : healthy.trim().split(" +")) {
            ok.add(Long.parseLong(s));
        }
        ok.add(99L);
        QuorumGuard.Decision d = QuorumGuard.decide(members, ok, remove == 0 ? 99 : remove);
        assertEquals(allowed, d.allowed(), d.reason());
    }

    @Test
    void refusalNamesTheUnhealthyMembersAndTheNumbers() {
        List<EtcdMember> members = List.of(member(1, false), member(2, false), member(3, false));
        JoinGateException e = assertThrows(JoinGateException.class,
                () -> QuorumGuard.requireSafeRemoval(members, Set.of(1L, 2L), 1));
        assertEquals("refusing to reset this master: removing etcd member cp-1 (id 1) would leave 1 healthy of 2 "
                + "voting members, below the quorum of 2; bring back or remove the unhealthy members first: "
                + "cp-3 (id 3)", e.getMessage());
    }

    @Test
    void idsAboveSignedRangeAreHandled() {
        long big = Long.parseUnsignedLong("15605283837629904139");
        List<EtcdMember> members = List.of(member(big, false), member(2, false), member(3, false));
        assertEquals(true, QuorumGuard.decide(members, Set.of(big, 2L, 3L), big).allowed());
    }

    private static EtcdMember member(long id, boolean learner) {
        return new EtcdMember(id, "cp-" + Long.toUnsignedString(id), List.of("https://10.0.0." + id + ":2380"),
                List.of("https://10.0.0." + id + ":2379"), learner);
    }
}
