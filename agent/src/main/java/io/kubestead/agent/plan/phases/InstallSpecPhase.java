package io.kubestead.agent.plan.phases;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.spec.InstallSpec;

/** Records the resolved install settings at /etc/kubestead/install.json: what every later step and rerun reads. */
final class InstallSpecPhase implements Phase {
    static final String PATH = "/etc/kubestead/install.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final InstallSpec spec;

    InstallSpecPhase(InstallSpec spec) {
        this.spec = spec;
    }

    static byte[] render(InstallSpec spec) {
        try {
            return (JSON.writeValueAsString(spec.toMap()) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String id() {
        return "install-spec";
    }

    @Override
    public String title() {
        return "Record the install settings in " + PATH;
    }

    @Override
    public boolean done(PhaseContext ctx) {
        return ctx.host().readFile(PATH).map(b -> java.util.Arrays.equals(b, render(spec))).orElse(false);
    }

    @Override
    public void run(PhaseContext ctx) {
        ctx.host().writeFile(PATH, render(spec), 0644);
    }
}
