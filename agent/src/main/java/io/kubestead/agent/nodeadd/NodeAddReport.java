package io.kubestead.agent.nodeadd;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The end of a {@code node add}: a table for people, JSON for scripts. */
public final class NodeAddReport {
    private NodeAddReport() {
    }

    public static String table(List<HostResult> results) {
        int w = Math.max(4, results.stream().mapToInt(r -> r.target().label().length()).max().orElse(4));
        StringBuilder sb = new StringBuilder(String.format("%-" + w + "s  %-6s  %-16s  %6s%n", "HOST", "ROLE", "RESULT", "TIME"));
        for (HostResult r : results) {
            sb.append(String.format("%-" + w + "s  %-6s  %-16s  %5ds%n", r.target().label(), r.role(), r.outcome().word(),
                    r.took().toSeconds()));
        }
        long joined = results.stream().filter(HostResult::joined).count();
        sb.append(joined).append(" of ").append(results.size()).append(joined == 1 && results.size() == 1 ? " host" : " hosts")
                .append(" joined");
        return sb.toString();
    }

    public static String json(List<HostResult> results) {
        List<Map<String, Object>> hosts = new ArrayList<>();
        for (HostResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", r.target().host());
            m.put("port", r.target().port());
            m.put("user", r.target().user());
            m.put("role", r.role());
            m.put("result", r.outcome().word());
            m.put("joined", r.joined());
            m.put("exitCode", r.exitCode());
            m.put("seconds", r.took().toSeconds());
            m.put("detail", r.detail());
            hosts.add(m);
        }
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("allJoined", results.stream().allMatch(HostResult::joined));
        top.put("hosts", hosts);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(top);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
