package io.kubestead.agent.plan.phases;

import io.kubestead.agent.plan.Phase;
import io.kubestead.agent.plan.PhaseContext;
import io.kubestead.agent.spec.HostPort;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Points this node's kubeconfigs that use the cluster endpoint at the new one (kubelet.conf, and admin.conf on
 * masters) and restarts the kubelet if its own changed. Kubeconfigs that name this node's own API server stay.
 */
final class KubeconfigServerPhase implements Phase {
    static final List<String> FILES = List.of("/etc/kubernetes/kubelet.conf", "/etc/kubernetes/admin.conf",
            "/root/.kube/config");
    private static final Pattern SERVER = Pattern.compile("(?m)^(\\s*server:\\s*)https://(\\S+)\\s*$");
    private final HostPort endpoint;
    private final String ownAddress;

    KubeconfigServerPhase(HostPort endpoint, String ownAddress) {
        this.endpoint = endpoint;
        this.ownAddress = ownAddress;
    }

    @Override
    public String id() {
        return "kubeconfig/server";
    }

    @Override
    public String title() {
        return "Point this node's kubeconfigs at " + endpoint;
    }

    static String repoint(String kubeconfig, HostPort endpoint, String ownAddress) {
        Matcher m = SERVER.matcher(kubeconfig);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            HostPort current = HostPort.parse(m.group(2), 443);
            boolean local = current.host().equals(ownAddress) || current.host().equals("127.0.0.1") && current.port() == 6443;
            String replacement = local ? m.group(0) : m.group(1) + "https://" + endpoint;
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Override
    public void run(PhaseContext ctx) {
        boolean kubeletChanged = false;
        for (String file : FILES) {
            var text = ctx.host().readString(file);
            if (text.isEmpty()) {
                continue;
            }
            String updated = repoint(text.get(), endpoint, ownAddress);
            if (!updated.equals(text.get())) {
                ctx.host().writeString(file, updated, 0600);
                ctx.progress().info("now points at " + endpoint + ": " + file);
                kubeletChanged |= file.endsWith("kubelet.conf");
            }
        }
        if (kubeletChanged) {
            ctx.host().run("systemctl", "restart", "kubelet").check();
        }
    }
}
