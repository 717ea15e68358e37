package io.kubestead.agent.nodeadd;

import io.kubestead.agent.join.JoinCommands;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a new host needs to join: the words for install.sh (no secret among them), the secret words for the 0600
 * secrets file, the files to copy beside install.sh (the agent bundle and SHA256SUMS; none when the host fetches
 * the bundle itself), and where install.sh may download the bundle from.
 *
 * @param installScript install.sh to copy (the master's own, /opt/kubestead/install.sh, or one given)
 * @param words the words after install.sh: {@code [airgap] join ...}
 * @param secrets the secrets file's content: {@code token=...} and for masters {@code cert-key=...} lines
 * @param bundleFiles copied beside install.sh (kubestead-agent-*.tar.gz, SHA256SUMS, SHA256SUMS.sig)
 * @param downloadUrl KUBESTEAD_URL for install.sh, when the bundle is neither copied nor fetched from a master
 */
public record JoinMaterial(boolean master, Path installScript, List<String> words, String secrets, List<Path> bundleFiles,
        Optional<String> downloadUrl) {
    public JoinMaterial {
        words = List.copyOf(words);
        bundleFiles = List.copyOf(bundleFiles);
    }

    /** From a master's join commands: air-gapped, install.sh alone (the host fetches the bundle from a master). */
    public static JoinMaterial of(JoinCommands commands, boolean master, Path installScript, List<Path> bundleFiles) {
        List<String> words = new ArrayList<>();
        if (commands.airgap()) {
            words.add("airgap");
        }
        words.add("join");
        words.addAll(commands.publicWords(master));
        List<Path> files = commands.airgap() ? List.of() : bundleFiles;
        Optional<String> url = commands.airgap() || !files.isEmpty() ? Optional.empty() : commands.baseUrl();
        return new JoinMaterial(master, installScript, words, commands.secretsFile(master), files, url);
    }

    /** The secret values, to mask wherever output is shown or logged. */
    public List<String> secretValues() {
        List<String> values = new ArrayList<>();
        for (String line : secrets.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && eq < line.length() - 1) {
                String v = line.substring(eq + 1).strip();
                values.add(v);
                if (v.contains(".")) {
                    // a bootstrap token's secret half is the secret; its id is shown by kubeadm and harmless alone
                    values.add(v.substring(v.indexOf('.') + 1));
                }
            }
        }
        return values;
    }

    @Override
    public String toString() {
        return "JoinMaterial[" + (master ? "master" : "worker") + ", " + words.size() + " words, secrets hidden, "
                + bundleFiles.size() + " files]";
    }
}
