package io.kubestead.installer.bundle;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;

/**
 * Checks the jlink module list against what jdeps says the agent and its libraries need, so a new
 * JDK API used by the agent fails the build instead of a host at run time.
 */
public final class RuntimeModules {

    /**
     * Referenced only by optional features of the libraries: jackson's java.sql types and bean
     * introspection, snakeyaml's JavaBean properties (jackson uses only its parser), and
     * commons-lang3/commons-compress corners we do not call. RuntimeSmoke proves the rest works.
     */
    static final Set<String> OPTIONAL_FOR_LIBRARIES = Set.of("java.sql", "java.desktop");

    private final ToolProvider jdeps;

    public RuntimeModules() {
        this.jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("jdeps not found: build with a full JDK 17+"));
    }

    /** Modules jdeps reports for the given jars (java.base included). */
    public Set<String> required(List<Path> jars) {
        List<String> args = new ArrayList<>(List.of("--multi-release", "17", "--ignore-missing-deps", "--print-module-deps"));
        jars.forEach(j -> args.add(j.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("jdeps failed (" + rc + "): " + err);
        }
        Set<String> modules = new TreeSet<>();
        for (String line : out.toString().split("\\R")) {
            if (!line.isBlank()) {
                for (String m : line.trim().split(",")) {
                    modules.add(m.trim());
                }
            }
        }
        return modules;
    }

    /** Fails naming the modules the agent or its libraries need but {@code available} lacks. */
    public Set<String> check(Path agentJar, List<Path> libraryJars, Set<String> available) {
        Set<String> missing = new TreeSet<>(required(List.of(agentJar)));
        if (!libraryJars.isEmpty()) {
            Set<String> libs = new TreeSet<>(required(libraryJars));
            libs.removeAll(OPTIONAL_FOR_LIBRARIES);
            missing.addAll(libs);
        }
        Set<String> needed = new TreeSet<>(missing);
        missing.removeAll(available);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the agent needs Java modules " + missing
                    + " that the bundled runtime lacks: add them to runtime.modules in installer/pom.xml");
        }
        return needed;
    }
}
