package io.kubestead.agent.lb;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuorumAdviceTest {
    @Test
    void oddCountsOfThreeOrMoreAreFine() {
        assertEquals(Optional.empty(), QuorumAdvice.forMasters(3, true));
        assertEquals(Optional.empty(), QuorumAdvice.forMasters(5, true));
        assertEquals(Optional.empty(), QuorumAdvice.forMasters(1, false), "a single master without ha is a choice");
    }

    @Test
    void evenCountsExplainTheWastedMember() {
        String w = QuorumAdvice.forMasters(4, true).orElseThrow();
        assertTrue(w.contains("quorum is 3") && w.contains("survives 1 master failure")
                && w.contains("3 masters also survive 1 failure") && w.contains("(3 or 5)"), w);
    }

    @Test
    void haBelowThreeExplainsTheMissingTolerance() {
        String two = QuorumAdvice.forMasters(2, true).orElseThrow();
        assertTrue(two.contains("quorum is 2") && two.contains("survives 0 master failures")
                && two.contains("Losing 1 master stops the API"), two);
        String one = QuorumAdvice.forMasters(1, true).orElseThrow();
        assertTrue(one.contains("Add masters until there are 3"), one);
        assertTrue(QuorumAdvice.forMasters(2, false).isPresent(), "even without ha");
    }
}
