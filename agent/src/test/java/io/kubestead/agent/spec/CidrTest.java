package io.kubestead.agent.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void overlapIsSymmetricAndExact() {
        Cidr a = Cidr.parse("10.96.0.0/12");
        assertTrue(a.overlaps(Cidr.parse("10.100.0.0/16")));
        assertTrue(Cidr.parse("10.100.0.0/16").overlaps(a));
        assertFalse(a.overlaps(Cidr.parse("10.112.0.0/12")));
        assertFalse(a.overlaps(Cidr.parse("10.80.0.0/12")));
        assertFalse(a.overlaps(Cidr.parse("fd00::/64")));
    }

    @Test
    void ipv6NetworksWork() {
        Cidr c = Cidr.parse("fd00:10:96::/112");
        assertTrue(c.ipv6());
        assertEquals("fd00:10:96::1", c.firstHost());
        assertTrue(c.contains("fd00:10:96::ff"));
        assertFalse(c.contains("fd00:10:97::1"));
    }

    @Test
    void firstHostAndTenthHost() {
        assertEquals("10.96.0.1", Cidr.parse("10.96.0.0/12").firstHost());
        assertEquals("10.96.0.10", Cidr.parse("10.96.0.0/12").host(10));
    }
}
