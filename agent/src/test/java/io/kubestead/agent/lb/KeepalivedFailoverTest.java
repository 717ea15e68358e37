package io.kubestead.agent.lb;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The generated keepalived configuration, run by real keepalived on two masters in network namespaces: the VIP goes
 * to one master, moves when that master's API server stops, and stays put when it comes back (nopreempt).
 */
class KeepalivedFailoverTest {
    @TempDir
    Path dir;
    private VrrpPair pair;

    @BeforeEach
    void network() {
        pair = new VrrpPair(dir);
    }

    @AfterEach
    void cleanUp() throws Exception {
        pair.close();
    }

    @Test
    void vipFollowsAHealthyApiServerAndDoesNotFlapBack() throws Exception {
        // m1 (the higher priority) first, so that it holds the VIP and its recovery would preempt if it could
        pair.startMaster(0);
        assertEquals(0, pair.awaitSingleHolder(-1));
        pair.startMaster(1);

        pair.stopApiServer(0); // its check fails, the instance faults, the VIP moves
        assertEquals(1, pair.awaitSingleHolder(0));
        pair.awaitState(0, "Entering FAULT STATE");

        pair.startApiServer(0);
        pair.awaitState(0, "Entering BACKUP STATE"); // its check passes again (rise 2 x interval 2 s)
        // Without nopreempt m1 takes the VIP back about 3 s after it re-enters BACKUP (seen with keepalived 2.2.7).
        Thread.sleep(6000);
        assertEquals(1, pair.awaitSingleHolder(-1), "nopreempt: the VIP stays where it is when m1 recovers");
    }
}
