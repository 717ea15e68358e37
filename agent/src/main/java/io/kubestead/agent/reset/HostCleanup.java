package io.kubestead.agent.reset;

import io.kubestead.agent.host.Host;
import io.kubestead.agent.lb.HostsBlock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Removes what Kubestead wrote on a host, each removal reported once; what is already gone is silently fine, so a
 * second reset reports nothing. Only files Kubestead owns are touched: shared files (/etc/hosts, kubeconfigs) only
 * when they carry our mark or are our copy.
 */
public final class HostCleanup {
    /** The first line of every balancer file Kubestead generates. */
    static final String MARK = "# Kubestead";
    private final Host host;
    private final ResetReport report;

    public HostCleanup(Host host, ResetReport report) {
        this.host = host;
        this.report = report;
    }

    /**
     * Deletes a directory Kubestead owns with everything in it (it writes only regular files and directories there,
     * never links, so nothing outside is reached). Returns whether it existed.
     */
    public boolean removeTree(String path, String what) {
        if (!host.exists(path)) {
            return false;
        }
        deleteRecursively(path);
        report.removed(path + " (" + what + ")");
        return true;
    }

    private void deleteRecursively(String path) {
        for (String child : host.list(path)) {
            deleteRecursively(path + "/" + child);
        }
        host.delete(path);
    }

    public boolean removeFile(String path, String what) {
        if (!host.exists(path)) {
            return false;
        }
        host.delete(path);
        report.removed(path + " (" + what + ")");
        return true;
    }

    /** Deletes a generated balancer file only if it carries Kubestead's mark; someone else's file stays. */
    public boolean removeIfMarked(String path, String what) {
        Optional<String> text = host.readString(path);
        if (text.isEmpty()) {
            return false;
        }
        if (!text.get().startsWith(MARK)) {
            report.left(path + " (not written by Kubestead)");
            return false;
        }
        return removeFile(path, what);
    }

    /** Drops the managed block from the hosts file, keeping every other line as it was. */
    public boolean removeHostsBlock(String hostsFile) {
        Optional<String> text = host.readString(hostsFile);
        if (text.isEmpty()) {
            return false;
        }
        String without;
        try {
            without = HostsBlock.apply(text.get(), Map.of());
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage().replace("run again", "run kubestead reset again"), e);
        }
        if (without.equals(text.get())) {
            return false;
        }
        host.writeString(hostsFile, without, host.mode(hostsFile).orElse(0644));
        report.removed("the Kubestead block in " + hostsFile + " (its other lines are kept)");
        return true;
    }

    /**
     * Deletes each kubeconfig that is a byte-for-byte copy of {@code adminConf} (what install placed there); a
     * kubeconfig the user changed or replaced is someone else's and stays.
     */
    public void removeCopies(String adminConf, List<String> kubeconfigs) {
        Optional<byte[]> admin = host.readFile(adminConf);
        for (String path : kubeconfigs) {
            Optional<byte[]> mine = host.readFile(path);
            if (mine.isEmpty()) {
                continue;
            }
            if (admin.isPresent() && Arrays.equals(admin.get(), mine.get())) {
                removeFile(path, "copy of " + adminConf);
                String dir = path.substring(0, path.lastIndexOf('/'));
                if (host.list(dir).isEmpty()) {
                    host.delete(dir);
                }
            } else {
                report.left(path + " (not a copy of this host's " + adminConf + ")");
            }
        }
    }
}
