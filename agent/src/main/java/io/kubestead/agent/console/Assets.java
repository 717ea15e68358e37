package io.kubestead.agent.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The console's pages, style and scripts: plain files in the agent's jar, read once; nothing comes from the network. */
final class Assets {
    static final List<String> NAMES = List.of("login.html", "cluster.html", "console.css", "login.js", "cluster.js");
    private final Map<String, byte[]> files;

    private Assets(Map<String, byte[]> files) {
        this.files = files;
    }

    static Assets load() {
        Map<String, byte[]> files = new HashMap<>();
        for (String name : NAMES) {
            try (InputStream in = Assets.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("the agent jar lacks the console's " + name);
                }
                files.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Assets(Map.copyOf(files));
    }

    /** Only the style and scripts are served under /assets/; the pages have their own paths. */
    boolean has(String name) {
        return files.containsKey(name) && !name.endsWith(".html");
    }

    byte[] page(String name) {
        return files.get(name);
    }

    static String type(String path) {
        return path.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
    }
}
