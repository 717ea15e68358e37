package io.kubestead.agent.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kubestead.agent.host.Host;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which phases of which plan finished on this host, kept in /var/lib/kubestead/state.json so that a rerun after a
 * crash resumes and a rerun after success changes nothing. Each record is written atomically once its phase ends.
 */
public final class StateStore {
    public static final String PATH = "/var/lib/kubestead/state.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Host host;

    public StateStore(Host host) {
        this.host = host;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, String>> load() {
        return host.readFile(PATH).map(bytes -> {
            try {
                return (Map<String, Map<String, String>>) JSON.readValue(bytes, LinkedHashMap.class);
            } catch (IOException e) {
                // a damaged state file means "nothing known to be done": every phase re-checks itself
                return new LinkedHashMap<String, Map<String, String>>();
            }
        }).orElseGet(LinkedHashMap::new);
    }

    public boolean finished(String plan, String phaseId) {
        return load().getOrDefault(plan, Map.of()).containsKey(phaseId);
    }

    public void markFinished(String plan, String phaseId, Instant at) {
        Map<String, Map<String, String>> all = load();
        all.computeIfAbsent(plan, k -> new LinkedHashMap<>()).put(phaseId, at.toString());
        try {
            host.writeFile(PATH, JSON.writeValueAsBytes(all), 0644);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forgets a plan's progress, e.g. when the install settings changed and every phase must re-check. */
    public void forget(String plan) {
        forgetExcept(plan, java.util.Set.of());
    }

    /** Forgets a plan's progress but for the phases named, which are done once for good (kubeadm init). */
    public void forgetExcept(String plan, java.util.Set<String> keep) {
        Map<String, Map<String, String>> all = load();
        Map<String, String> phases = all.get(plan);
        if (phases != null && phases.keySet().removeIf(id -> !keep.contains(id))) {
            try {
                host.writeFile(PATH, JSON.writeValueAsBytes(all), 0644);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
