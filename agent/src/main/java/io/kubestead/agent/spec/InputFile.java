package io.kubestead.agent.spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one reader of files a user names (a word such as {@code ca-cert=FILE}, an option such as {@code --public-key}):
 * only a regular file, and at most {@code limit} bytes of it. The type is checked before opening, so a FIFO or a
 * device never blocks or streams forever; the read stops after {@code limit + 1} bytes, so a file that grows after
 * the check is still bounded. A symbolic link is followed to its target, which must itself be a regular file.
 */
public final class InputFile {
    /** Enough for any PEM certificate chain or key the agent reads (they are a few KiB). */
    public static final int PEM_LIMIT = 1 << 20;

    private InputFile() {
    }

    /** Why a named file cannot be used; the message is a short reason to put after the file's name. */
    public static final class Refused extends IOException {
        Refused(String reason) {
            super(reason);
        }
    }

    /** Checks {@code file} as {@link #read} does, without keeping its bytes. */
    public static void check(Path file, int limit) throws Refused {
        read(file, limit);
    }

    /** The bytes of a regular file of at most {@code limit} bytes; anything else is {@link Refused}. */
    public static byte[] read(Path file, int limit) throws Refused {
        Path target = regularFile(file, limit);
        try (InputStream in = Channels.newInputStream(Files.newByteChannel(target, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS))) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new Refused("is larger than " + size(limit) + "; give the file itself, not a larger one");
            }
            return bytes;
        } catch (Refused e) {
            throw e;
        } catch (IOException e) {
            throw new Refused("cannot be read (" + reason(e) + ")");
        }
    }

    /** The path to open: {@code file}, or the target of its links, checked to be a regular file within the limit. */
    private static Path regularFile(Path file, int limit) throws Refused {
        Path target;
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            target = a.isSymbolicLink() ? file.toRealPath() : file;
            if (a.isSymbolicLink()) {
                a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (NoSuchFileException e) {
            throw new Refused("does not exist");
        } catch (IOException e) {
            throw new Refused("cannot be read (" + reason(e) + ")");
        }
        if (!a.isRegularFile()) {
            throw new Refused("is " + kind(a) + ", not a regular file");
        }
        if (a.size() > limit) {
            throw new Refused("is larger than " + size(limit) + " (" + a.size() + " bytes); give the file itself");
        }
        return target;
    }

    private static String kind(BasicFileAttributes a) {
        if (a.isDirectory()) {
            return "a directory";
        }
        if (a.isSymbolicLink()) {
            return "a symbolic link";
        }
        return "a device, FIFO or socket";
    }

    private static String size(int limit) {
        return limit % (1 << 20) == 0 ? (limit >> 20) + " MiB" : limit % 1024 == 0 ? (limit >> 10) + " KiB" : limit + " bytes";
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        // the file system's reason without the path, which the caller names (quoted) already
        String m = e instanceof java.nio.file.FileSystemException f ? f.getReason() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
