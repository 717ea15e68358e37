package io.kubestead.agent.host;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A second process for lock tests: takes the host lock of the host rooted at {@code args[0]} as command
 * {@code args[1]}, waiting up to {@code args[2]} seconds (default 0); prints "waiting: HOLDER" while it waits,
 * "locked" once it holds the lock, and keeps it until its standard input ends. Exits 3 if the lock stayed busy.
 */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws IOException {
        RootedHost host = new RootedHost("holder", Path.of(args[0]), c -> new ExecResult(c, 0, "", ""), new ActionLog());
        Duration patience = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 0);
        try (HostLock lock = HostLock.take(host, args[1], Instant.now(), patience, h -> {
            System.out.println("waiting: " + h.describe());
            System.out.flush();
        })) {
            System.out.println("locked");
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (HostLockBusyException e) {
            System.out.println("busy: " + e.getMessage());
            System.exit(3);
        }
    }

    /** Starts a JVM running {@code main} with this test run's class path; its stderr goes to the test's. */
    public static Process java(Class<?> main, java.util.Map<String, String> env, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), main.getName()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().keySet().removeIf(k -> k.startsWith("KUBESTEAD_"));
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Starts a holder of the lock on {@code root} and returns once it holds it. */
    public static Process hold(Path root, String command) throws IOException {
        Process p = java(LockHolder.class, java.util.Map.of(), root.toString(), command);
        String first = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
        if (!"locked".equals(first)) {
            p.destroyForcibly();
            throw new IllegalStateException("the holder did not take the lock: " + first);
        }
        return p;
    }
}
