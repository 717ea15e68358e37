package io.kubestead.agent.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UIKeyboardInteractive;
import com.jcraft.jsch.UserInfo;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Opens SSH sessions with jsch: host keys judged by one {@link KnownHostsFile} (never jsch's own prompts), public
 * keys first, then a password through {@link SshCredentials.Secrets}. jsch's own state is per session, so sessions
 * may be opened from several threads.
 */
public final class SshClient {
    private final KnownHostsFile knownHosts;
    private final SshCredentials credentials;
    private final Duration connectTimeout;

    public SshClient(KnownHostsFile knownHosts, SshCredentials credentials, Duration connectTimeout) {
        this.knownHosts = knownHosts;
        this.credentials = credentials;
        this.connectTimeout = connectTimeout;
    }

    public KnownHostsFile knownHosts() {
        return knownHosts;
    }

    public SshCredentials credentials() {
        return credentials;
    }

    /** A logged-in session, its host key checked; the exception's message is one line naming the host. */
    public SshConnection connect(SshTarget target) throws SshException {
        JSch jsch = new JSch();
        KnownHostsFile.Checked keys = knownHosts.forConnection();
        jsch.setHostKeyRepository(keys);
        Login login = new Login(target);
        try {
            for (Path id : credentials.identities()) {
                Optional<char[]> phrase = Optional.empty();
                try {
                    jsch.addIdentity(id.toString());
                } catch (JSchException e) {
                    phrase = credentials.secrets().passphrase(id);
                    if (phrase.isEmpty()) {
                        throw new SshException(SshException.Kind.AUTHENTICATION, target.label() + ": cannot use the key "
                                + id + " (" + e.getMessage() + ")", e);
                    }
                    byte[] p = new String(phrase.get()).getBytes(StandardCharsets.UTF_8);
                    try {
                        jsch.addIdentity(id.toString(), p);
                    } finally {
                        Arrays.fill(p, (byte) 0);
                        Arrays.fill(phrase.get(), '\0');
                    }
                }
            }
            Session s = jsch.getSession(target.user(), target.host(), target.port());
            s.setConfig("StrictHostKeyChecking", "yes");
            s.setConfig("PreferredAuthentications", "publickey,keyboard-interactive,password");
            s.setUserInfo(login);
            s.setServerAliveInterval(15_000);
            s.setServerAliveCountMax(4);
            s.connect((int) connectTimeout.toMillis());
            return new SshConnection(target, s, keys.last());
        } catch (JSchUnknownHostKeyException | JSchChangedHostKeyException e) {
            HostKeyCheck c = keys.last();
            throw new SshException(SshException.Kind.HOST_KEY, c != null ? c.message() : target.label() + ": " + e.getMessage(), e);
        } catch (JSchException e) {
            throw classify(target, e, keys.last());
        } finally {
            login.forget();
        }
    }

    private static SshException classify(SshTarget target, JSchException e, HostKeyCheck key) {
        if (key != null && (key.result() == HostKeyCheck.Result.REFUSED || key.result() == HostKeyCheck.Result.CHANGED)) {
            // jsch's own words ("reject HostKey") say less than the check did
            return new SshException(SshException.Kind.HOST_KEY, key.message(), e);
        }
        Throwable cause = e.getCause();
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
                || cause instanceof SocketTimeoutException || cause instanceof UnknownHostException
                || (key == null && (cause instanceof IOException || String.valueOf(e.getMessage()).startsWith("timeout")))) {
            String why = cause == null ? e.getMessage() : cause.getClass().getSimpleName().replace("Exception", "")
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            return new SshException(SshException.Kind.UNREACHABLE, target.label() + ": cannot reach " + target.host() + " port "
                    + target.port() + " (" + why + ")", e);
        }
        String m = String.valueOf(e.getMessage());
        if (m.startsWith("Auth") || m.contains("Too many authentication failures")) {
            return new SshException(SshException.Kind.AUTHENTICATION, target.label() + ": " + target.user()
                    + " could not log in (no key was accepted, and no or a wrong password); give --identity FILE or"
                    + " answer the password prompt", e);
        }
        return new SshException(SshException.Kind.BROKEN, target.label() + ": SSH failed: " + e.getMessage(), e);
    }

    /** jsch's questions: the password from the secrets; no other question is answered yes. */
    private final class Login implements UserInfo, UIKeyboardInteractive {
        private final SshTarget target;
        private char[] password;
        private boolean asked;

        Login(SshTarget target) {
            this.target = target;
        }

        @Override
        public String getPassphrase() {
            return null;
        }

        @Override
        public String getPassword() {
            return password == null ? null : new String(password);
        }

        @Override
        public boolean promptPassword(String message) {
            // one try per connection: a wrong password is not sent again and again until the server hangs up
            if (asked) {
                return false;
            }
            asked = true;
            password = credentials.secrets().password(target).orElse(null);
            return password != null;
        }

        @Override
        public boolean promptPassphrase(String message) {
            return false;
        }

        @Override
        public boolean promptYesNo(String message) {
            return false;
        }

        @Override
        public void showMessage(String message) {
        }

        @Override
        public String[] promptKeyboardInteractive(String destination, String name, String instruction, String[] prompt,
                boolean[] echo) {
            // PAM's one hidden question is the password; anything else is not ours to answer
            if (prompt.length != 1 || echo[0] || (password == null && !promptPassword(prompt[0])) || password == null) {
                return null;
            }
            return new String[] {new String(password)};
        }

        void forget() {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }
}
