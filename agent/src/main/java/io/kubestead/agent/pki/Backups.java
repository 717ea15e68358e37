package io.kubestead.agent.pki;

import io.kubestead.agent.host.Host;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Keeps an old file beside the new one before it is replaced, e.g. {@code apiserver.crt.bak-20261121T233800Z}. */
final class Backups {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private Backups() {
    }

    /** Copies {@code path} (same mode) to a fresh backup name; returns that name, or null if there was no file. */
    static String keep(Host host, String path, Instant now) {
        var content = host.readFile(path);
        if (content.isEmpty()) {
            return null;
        }
        String base = path + ".bak-" + STAMP.format(now);
        String target = base;
        for (int i = 1; host.exists(target); i++) {
            target = base + "-" + i;
        }
        host.writeFile(target, content.get(), host.mode(path).orElse(0600));
        return target;
    }
}
