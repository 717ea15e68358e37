package io.kubestead.agent.lb;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostsBlockTest {
    static final String DEBIAN = "127.0.0.1\tlocalhost\n127.0.1.1\tnode1\n\n# The following lines are desirable for IPv6\n"
            + "::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\n";
    static final Map<String, String> INTERNAL = Map.of("api.prod.kubestead.internal", "127.0.0.1");

    @Test
    void appendsOnceAndIsIdempotent() {
        String once = HostsBlock.apply(DEBIAN, INTERNAL);
        assertEquals(DEBIAN + "# BEGIN kubestead (managed by Kubestead; edits here are overwritten)\n"
                + "127.0.0.1\tapi.prod.kubestead.internal\n# END kubestead\n", once);
        assertEquals(once, HostsBlock.apply(once, INTERNAL));
    }

    @Test
    void replacesTheBlockInPlaceAndKeepsEverythingAround() {
        String withBlock = HostsBlock.apply(DEBIAN, INTERNAL) + "10.9.9.9\tadded-later\n";
        String switched = HostsBlock.apply(withBlock, Map.of("api.prod.kubestead.internal", "10.0.0.10"));
        assertTrue(switched.startsWith(DEBIAN), switched);
        assertTrue(switched.endsWith("10.0.0.10\tapi.prod.kubestead.internal\n# END kubestead\n10.9.9.9\tadded-later\n"),
                switched);
        assertEquals(1, switched.split("# BEGIN kubestead", -1).length - 1);
    }

    @Test
    void noEntriesRemovesTheBlockAndRestoresTheFile() {
        assertEquals(DEBIAN, HostsBlock.apply(HostsBlock.apply(DEBIAN, INTERNAL), Map.of()));
        assertEquals(DEBIAN, HostsBlock.apply(DEBIAN, Map.of()));
    }

    @Test
    void handlesEmptyFilesMissingNewlinesAndDuplicateBlocks() {
        assertEquals(HostsBlock.render(INTERNAL), HostsBlock.apply("", INTERNAL));
        assertEquals("1.2.3.4 x\n" + HostsBlock.render(INTERNAL), HostsBlock.apply("1.2.3.4 x", INTERNAL));
        assertEquals("1.2.3.4 x", HostsBlock.apply("1.2.3.4 x", Map.of()), "untouched, even without a final newline");
        String twice = DEBIAN + HostsBlock.render(INTERNAL) + "a\n" + HostsBlock.render(INTERNAL);
        assertEquals(DEBIAN + HostsBlock.render(INTERNAL) + "a\n", HostsBlock.apply(twice, INTERNAL));
    }

    @Test
    void keepsEntryOrder() {
        Map<String, String> two = new LinkedHashMap<>();
        two.put("b.example", "10.0.0.2");
        two.put("a.example", "10.0.0.1");
        assertTrue(HostsBlock.render(two).contains("10.0.0.2\tb.example\n10.0.0.1\ta.example\n"));
    }

    @Test
    void refusesAHalfBlock() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> HostsBlock.apply(DEBIAN + "# BEGIN kubestead\n1.1.1.1 x\n", INTERNAL));
        assertTrue(e.getMessage().contains("no '# END kubestead'"), e.getMessage());
    }

    @Test
    void findsForeignEntriesForOurNames() {
        String hosts = DEBIAN + "10.1.1.1 old-lb api.prod.kubestead.internal # by hand\n" + HostsBlock.render(INTERNAL);
        assertEquals(List.of("10.1.1.1 old-lb api.prod.kubestead.internal # by hand"),
                HostsBlock.foreignEntries(hosts, Set.of("api.prod.kubestead.internal")));
    }
}
