package io.kubestead.agent.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kubestead.agent.version.KubernetesVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** install.json, the recorded install spec: written by install, read back by join-script, reset and reruns. */
public final class InstallSpecJson {
    /** Where install writes it on the first master. */
    public static final String PATH = "/etc/kubestead/install.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private InstallSpecJson() {
    }

    public static byte[] write(InstallSpec spec) {
        try {
            return (JSON.writeValueAsString(spec.toMap()) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static InstallSpec read(byte[] json) {
        try {
            JsonNode n = JSON.readTree(json);
            JsonNode lb = n.get("loadBalancer");
            LoadBalancer.Mode mode = LoadBalancer.Mode.valueOf(lb.get("mode").asText().toUpperCase());
            HostPort external = lb.get("address").isNull() ? null : HostPort.parse(lb.get("address").asText(), 6443);
            String vip = lb.get("vip").isNull() ? null : lb.get("vip").asText();
            LoadBalancer balancer = new LoadBalancer(mode, external, lb.get("internalPort").asInt(), vip, lb.get("chosenBy").asText());
            Map<String, Path> cas = new LinkedHashMap<>();
            n.get("providedCas").fields().forEachRemaining(e -> cas.put(e.getKey(), Path.of(e.getValue().asText())));
            Set<String> ignore = new LinkedHashSet<>();
            n.get("preflightIgnore").forEach(v -> ignore.add(v.asText()));
            return new InstallSpec(n.get("ha").asBoolean(), balancer, n.get("taintControlPlane").asBoolean(),
                    n.get("airgap").asBoolean(), KubernetesVersion.parse(n.get("kubernetesVersion").asText()),
                    n.get("nodeName").asText(), n.get("privateAddress").asText(),
                    n.get("publicAddress").isNull() ? null : n.get("publicAddress").asText(), strings(n.get("certSans")),
                    Cidr.parse(n.get("podCidr").asText()), Cidr.parse(n.get("serviceCidr").asText()),
                    n.get("clusterName").asText(), n.get("dnsDomain").asText(), n.get("apiName").asText(), false, null,
                    n.get("keyAlgorithm").asText(), n.get("caValidityDays").asInt(), n.get("certValidityDays").asInt(),
                    cas, ignore, Duration.parse(n.get("tokenTtl").asText()), BundleTrust.BUILT_IN,
                    // absent in install.json of versions before the word existed
                    n.path("bundleServerPort").asInt(JoinSpecParser.DEFAULT_BUNDLE_SERVER_PORT),
                    // absent before the console existed: those installs have none
                    n.path("console").isInt() ? new ConsoleSettings(true, n.get("console").asInt(), null) : ConsoleSettings.OFF,
                    n.hasNonNull("purgeAfter") ? Duration.parse(n.get("purgeAfter").asText()) : Duration.ZERO,
                    Duration.parse(n.path("etcdBackup").asText(InstallSpecParser.DEFAULT_ETCD_BACKUP.toString())));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("install.json cannot be read (" + e.getMessage() + "); rerun 'kubestead install'"
                    + " with the original words on the first master");
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
