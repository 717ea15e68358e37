package io.kubestead.agent.console;

/** Where the console keeps its files on a master. Everything here is 0600 (the directory 0700). */
public final class ConsolePaths {
    public static final String DIR = "/etc/kubestead/console";
    /** The password's salted hash ({@link PasswordHash}). */
    public static final String PASSWORD_HASH = DIR + "/password";
    /** The password install generated, until it is shown once on the terminal (kept when there is none). */
    public static final String INITIAL_PASSWORD = DIR + "/initial-password";
    /** The serving certificate (with the cluster CA after it) and its key. */
    public static final String TLS_CERT = DIR + "/tls.crt";
    public static final String TLS_KEY = DIR + "/tls.key";
    public static final String SERVICE = "kubestead-console";
    public static final String UNIT = "/etc/systemd/system/" + SERVICE + ".service";

    private ConsolePaths() {
    }
}
