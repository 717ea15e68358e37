package io.kubestead.agent.spec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one DNS name rule and the one host:port joiner. */
class HostPortTest {

    @Test
    void namesAreLowercaseRfc1123AndParsedHostsAreLowercased() {
        assertTrue(HostPort.isDnsName("api.prod.kubestead.internal"));
        assertFalse(HostPort.isDnsName("Node-1"), "Kubernetes node names are lowercase");
        assertFalse(HostPort.isDnsName("10.0.0.256"), "a broken IPv4 address is not a name");
        assertFalse(HostPort.isDnsName("lb.example."));
        assertEquals("lb.corp.example:8443", HostPort.parse("LB.Corp.Example:8443", 6443).toString());
    }

    @Test
    void ipv6HostsAreBracketedAndOnlyThey() {
        assertEquals("[fd00::10]:6443", new HostPort("fd00::10", 6443).toString());
        assertEquals("10.0.0.1:6443", new HostPort("10.0.0.1", 6443).toString());
        assertEquals("api.example:6444", new HostPort("api.example", 6444).toString());
    }
}
