package io.kubestead.agent.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.kubestead.agent.spec.SpecException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A kubeadm static pod manifest: the first container's {@code --flag=value} command line, read and rewritten. */
public final class StaticPodManifest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    /** kubeadm's manifests are a few KB; a bigger file is not one of them. */
    static final int LIMIT = 256 * 1024;

    private final String path;
    private final ObjectNode pod;

    private StaticPodManifest(String path, ObjectNode pod) {
        this.path = path;
        this.pod = pod;
    }

    public static StaticPodManifest parse(String path, byte[] yaml) {
        if (yaml.length > LIMIT) {
            throw new SpecException(path + " is larger than " + LIMIT + " bytes: not a kubeadm static pod manifest");
        }
        try {
            JsonNode node = YAML.readTree(yaml);
            if (!(node instanceof ObjectNode o) || !o.path("spec").path("containers").path(0).path("command").isArray()) {
                throw new SpecException(path + " is not a static pod manifest with a command (was it edited?)");
            }
            return new StaticPodManifest(path, o);
        } catch (IOException e) {
            throw new SpecException(path + " is not readable YAML (" + e.getMessage() + ")");
        }
    }

    private ArrayNode command() {
        return (ArrayNode) pod.path("spec").path("containers").path(0).path("command");
    }

    public List<String> argv() {
        List<String> out = new ArrayList<>();
        command().forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The value of {@code --name=value} on the command line. */
    public Optional<String> flag(String name) {
        String prefix = "--" + name + "=";
        return argv().stream().filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length())).findFirst();
    }

    public String require(String name) {
        return flag(name).orElseThrow(() -> new SpecException(path + " has no --" + name + " flag"));
    }

    /** A copy with {@code --name=value} set (replaced in place, else appended). */
    public StaticPodManifest withFlag(String name, String value) {
        ObjectNode copy = pod.deepCopy();
        ArrayNode cmd = (ArrayNode) copy.path("spec").path("containers").path(0).path("command");
        String prefix = "--" + name + "=";
        boolean set = false;
        for (int i = 0; i < cmd.size(); i++) {
            if (cmd.get(i).asText().startsWith(prefix)) {
                cmd.set(i, prefix + value);
                set = true;
            }
        }
        if (!set) {
            cmd.add(prefix + value);
        }
        return new StaticPodManifest(path, copy);
    }

    public String image() {
        return pod.path("spec").path("containers").path(0).path("image").asText("");
    }

    public String render() {
        try {
            return YAML.writeValueAsString(pod);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
