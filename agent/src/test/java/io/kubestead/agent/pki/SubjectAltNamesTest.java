package io.kubestead.agent.pki;

import io.kubestead.agent.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Certificate names follow spec's one DNS rule, in any case, with a one-label wildcard allowed. */
class SubjectAltNamesTest {

    @Test
    void namesFollowTheSpecRule() {
        assertEquals(List.of("*.apps.example", "api.example"),
                SubjectAltNames.of(List.of("API.example", "*.apps.example"), "san").dns());
        assertThrows(SpecException.class, () -> SubjectAltNames.of(List.of("10.0.0.256"), "san"),
                "a broken IPv4 address is neither an IP nor a name");
    }
}
