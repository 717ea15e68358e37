package io.kubestead.installer.serve;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the serving URL into install.sh's {@code KUBESTEAD_BASE_URL=""} line, so a piped
 * install.sh downloads the agent bundle from where it came from; and pins a bundle key into its
 * {@code KUBESTEAD_BUNDLE_PUBLIC_KEY=""} line, so it checks SHA256SUMS.sig and air-gap bundles with that key.
 */
public final class InstallScript {

    public static final String NAME = "install.sh";

    private static final Pattern LINE = Pattern.compile("(?m)^KUBESTEAD_BASE_URL=.*$");
    private static final Pattern KEY_LINE = Pattern.compile("(?m)^KUBESTEAD_BUNDLE_PUBLIC_KEY=.*$");
    /** Ends up inside double quotes in a root shell: no quotes, $, backticks, spaces or backslashes. */
    private static final Pattern SAFE_URL = Pattern.compile("https?://[A-Za-z0-9.\\-:\\[\\]%]+(/[A-Za-z0-9._~\\-/%]*)?");
    private static final Pattern SAFE_HOST = Pattern.compile("[A-Za-z0-9.\\-:\\[\\]%]+");

    private InstallScript() {
    }

    /** The script with its base URL line set to {@code baseUrl}; fails if the script has no such line. */
    public static byte[] rewrite(byte[] script, String baseUrl) {
        String text = new String(script, StandardCharsets.UTF_8);
        Matcher m = LINE.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("install.sh has no KUBESTEAD_BASE_URL= line to rewrite");
        }
        String line = "KUBESTEAD_BASE_URL=\"" + checkBaseUrl(baseUrl) + "\"";
        return (text.substring(0, m.start()) + line + text.substring(m.end())).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The script with {@code key} pinned: its SubjectPublicKeyInfo in base64 (the body of its PEM, one line of
     * only [A-Za-z0-9+/=], so safe inside double quotes). Fails if the script has no such line.
     */
    public static byte[] pinKey(byte[] script, PublicKey key) {
        String text = new String(script, StandardCharsets.UTF_8);
        Matcher m = KEY_LINE.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("install.sh has no KUBESTEAD_BUNDLE_PUBLIC_KEY= line to pin the key in");
        }
        String line = "KUBESTEAD_BUNDLE_PUBLIC_KEY=\"" + Base64.getEncoder().encodeToString(key.getEncoded()) + "\"";
        return (text.substring(0, m.start()) + line + text.substring(m.end())).getBytes(StandardCharsets.UTF_8);
    }

    /** The URL without a trailing slash, or an exception naming it if it is unsafe to write into a script. */
    public static String checkBaseUrl(String url) {
        String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        if (!SAFE_URL.matcher(u).matches()) {
            throw new IllegalArgumentException("base URL '" + url
                    + "' is not a plain http(s)://host[:port][/path] URL");
        }
        return u;
    }

    /** Whether a Host header value may be used to form the base URL. */
    public static boolean isSafeHost(String host) {
        return host != null && SAFE_HOST.matcher(host).matches();
    }
}
