package io.kubestead.agent.spec;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The words of {@code kubestead reset}, checked. */
public record ResetSpec(boolean yes, boolean force, Optional<Path> dryRun, Optional<String> nodeName,
                        Optional<URI> etcdEndpoint) {

    public static final List<WordDef> WORDS = List.of(
            WordDef.flag("yes", "do not ask before resetting (needed when there is no terminal to ask on)"),
            WordDef.flag("force", "reset even if etcd is unreachable or would lose its quorum without this master"),
            WordDef.optionalValue("dry-run", "DIR", "only show what would be removed; files that would be written go"
                    + " under DIR, the steps and commands to DIR/plan.txt; needs no root"),
            WordDef.value("node-name", "NAME", "this node's name in the cluster (default: from the install or join"
                    + " settings, else the host name)"),
            WordDef.value("etcd-endpoint", "URL", "this master's etcd client URL (default https://127.0.0.1:2379)"));

    public static ResetSpec parse(List<String> args, Path workingDir) {
        Words w = Words.parse(args, WORDS, "reset");
        Optional<Path> dryRun = DryRunDir.of(w, workingDir);
        Optional<String> name = w.value("node-name");
        name.ifPresent(n -> {
            if (!n.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
                throw new SpecException("word " + Shown.quoted("node-name=" + n) + ": a node name is lowercase letters, digits, '-' and"
                        + " '.', starting and ending with a letter or digit");
            }
        });
        Optional<URI> etcd = w.value("etcd-endpoint", ResetSpec::endpoint, "write it as https://HOST:PORT");
        return new ResetSpec(w.has("yes"), w.has("force"), dryRun, name, etcd);
    }

    private static URI endpoint(String text) {
        URI uri = URI.create(text);
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1
                || !(uri.getPath() == null || uri.getPath().isEmpty())) {
            throw new IllegalArgumentException("not an https URL with a host and a port");
        }
        return uri;
    }
}
