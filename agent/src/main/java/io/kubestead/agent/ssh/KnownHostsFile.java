package io.kubestead.agent.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import io.kubestead.agent.spec.InputFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * An OpenSSH known_hosts file as the one judge of host keys: a key it holds for the host passes; a new host's key
 * passes only when {@link NewKeyDecision} accepts it, and is then appended (atomically: the file is rewritten beside
 * itself and renamed); a different key for a known host is refused, always. One instance serves every connection
 * of a run, so parallel connections ask one question at a time and see each other's additions.
 */
public final class KnownHostsFile {
    /** Larger known_hosts files are refused rather than read. */
    static final int LIMIT = 4 << 20;

    /** Whether to trust a key seen for the first time (the flag, or a question at the terminal). */
    @FunctionalInterface
    public interface NewKeyDecision {
        boolean accept(String host, String type, String fingerprint);
    }

    private final Path file;
    private final NewKeyDecision decision;
    private final HostKeyRepository keys;

    public KnownHostsFile(Path file, NewKeyDecision decision) {
        this.file = file;
        this.decision = decision;
        this.keys = parse(read(file));
    }

    /** root's own, so {@code ssh} and {@code node add} agree on every host. */
    public static Path userDefault() {
        return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    public Path file() {
        return file;
    }

    /** A repository for one connection, which remembers what its check found. */
    Checked forConnection() {
        return new Checked();
    }

    private synchronized HostKeyCheck check(String host, byte[] key) {
        String type = type(key);
        String fp = fingerprint(key);
        return switch (keys.check(host, key)) {
            case HostKeyRepository.OK -> new HostKeyCheck(HostKeyCheck.Result.KNOWN, host, type, fp, file.toString());
            case HostKeyRepository.CHANGED -> new HostKeyCheck(HostKeyCheck.Result.CHANGED, host, type, fp, file.toString());
            default -> {
                if (!decision.accept(host, type, fp)) {
                    yield new HostKeyCheck(HostKeyCheck.Result.REFUSED, host, type, fp, file.toString());
                }
                record(host, key);
                yield new HostKeyCheck(HostKeyCheck.Result.ACCEPTED, host, type, fp, file.toString());
            }
        };
    }

    private void record(String host, byte[] key) {
        HostKey hk;
        try {
            hk = new HostKey(host, key);
        } catch (JSchException e) {
            throw new IllegalStateException(host + ": unusable host key (" + e.getMessage() + ")", e);
        }
        String line = host + " " + hk.getType() + " " + hk.getKey() + "\n";
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            byte[] old = read(file);
            String mode = Files.exists(file) ? PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) : "rw-r--r--";
            Path tmp = Files.createTempFile(dir, ".known_hosts.", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(old));
                if (old.length > 0 && old[old.length - 1] != '\n') {
                    ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
                }
                ch.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
                ch.force(true);
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the host key of " + host + " in " + file + ": " + e.getMessage(), e);
        }
        keys.add(hk, null);
    }

    private static byte[] read(Path file) {
        try {
            return InputFile.read(file, LIMIT);
        } catch (InputFile.Refused e) {
            if (!Files.exists(file)) {
                return new byte[0];
            }
            throw new IllegalArgumentException("known hosts file " + file + " " + e.getMessage());
        }
    }

    private static HostKeyRepository parse(byte[] content) {
        JSch jsch = new JSch();
        try {
            jsch.setKnownHosts(new ByteArrayInputStream(content));
        } catch (JSchException e) {
            throw new IllegalArgumentException("known hosts file cannot be read: " + e.getMessage(), e);
        }
        return jsch.getHostKeyRepository();
    }

    /** OpenSSH's form: SHA256: and the unpadded base64 of the key blob's SHA-256. */
    public static String fingerprint(byte[] key) {
        try {
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key type named at the start of an SSH key blob (ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa ...). */
    static String type(byte[] key) {
        if (key.length < 4) {
            return "unknown";
        }
        int n = ByteBuffer.wrap(key, 0, 4).getInt();
        if (n <= 0 || n > 64 || key.length < 4 + n) {
            return "unknown";
        }
        return new String(key, 4, n, StandardCharsets.US_ASCII).replaceAll("[^A-Za-z0-9@._-]", "?");
    }

    /** jsch's view of the file for one connection: {@link #check} decides, the rest reads the shared keys. */
    final class Checked implements HostKeyRepository {
        private volatile HostKeyCheck last;

        HostKeyCheck last() {
            return last;
        }

        @Override
        public int check(String host, byte[] key) {
            HostKeyCheck c = KnownHostsFile.this.check(host, key);
            last = c;
            return switch (c.result()) {
                case KNOWN, ACCEPTED -> OK;
                case CHANGED -> CHANGED;
                case REFUSED -> NOT_INCLUDED;
            };
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {
            // keys are recorded only through check's decision
        }

        @Override
        public void remove(String host, String type) {
            // never: a changed key is the operator's to remove
        }

        @Override
        public void remove(String host, String type, byte[] key) {
        }

        @Override
        public String getKnownHostsRepositoryID() {
            return file.toString();
        }

        @Override
        public HostKey[] getHostKey() {
            synchronized (KnownHostsFile.this) {
                return keys.getHostKey();
            }
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            synchronized (KnownHostsFile.this) {
                return keys.getHostKey(host, type);
            }
        }
    }
}
