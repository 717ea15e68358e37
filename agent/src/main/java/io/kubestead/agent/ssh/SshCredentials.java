package io.kubestead.agent.ssh;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How to log in: private key files to offer, and where a password (for the login or for sudo) or a key's passphrase
 * comes from when one is needed: the terminal for the CLI, never a word or an argument.
 */
public record SshCredentials(List<Path> identities, Secrets secrets) {
    /** Asked only when needed; empty when there is no one to ask. Each call returns a copy the caller clears. */
    public interface Secrets {
        Optional<char[]> password(SshTarget target);

        Optional<char[]> passphrase(Path identity);

        Secrets NONE = new Secrets() {
            @Override
            public Optional<char[]> password(SshTarget target) {
                return Optional.empty();
            }

            @Override
            public Optional<char[]> passphrase(Path identity) {
                return Optional.empty();
            }
        };
    }

    public SshCredentials {
        identities = List.copyOf(identities);
    }

    /** The keys OpenSSH offers by default, those that exist in the user's ~/.ssh. */
    public static List<Path> defaultIdentities() {
        Path dir = Path.of(System.getProperty("user.home"), ".ssh");
        return java.util.stream.Stream.of("id_ed25519", "id_ecdsa", "id_rsa").map(dir::resolve)
                .filter(java.nio.file.Files::isRegularFile).toList();
    }
}
