package io.kubestead.agent.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The one reader of user-named files: regular files up to a limit, nothing else, and never a blocking open. */
class InputFileTest {
    @TempDir
    Path dir;

    private String refused(Path file, int limit) {
        return assertThrows(InputFile.Refused.class, () -> InputFile.read(file, limit)).getMessage();
    }

    @Test
    void aRegularFileUpToTheLimitIsRead() throws Exception {
        Path f = Files.write(dir.resolve("f"), new byte[] {1, 2, 3, 4});
        assertArrayEquals(new byte[] {1, 2, 3, 4}, InputFile.read(f, 4));
        assertEquals("is larger than 3 bytes (4 bytes); give the file itself", refused(f, 3));
    }

    @Test
    void devicesDirectoriesAndMissingFilesAreRefused() {
        assertEquals("is a device, FIFO or socket, not a regular file", refused(Path.of("/dev/zero"), 1024));
        assertEquals("is a device, FIFO or socket, not a regular file", refused(Path.of("/dev/urandom"), 1024));
        assertEquals("is a directory, not a regular file", refused(dir, 1024));
        assertEquals("does not exist", refused(dir.resolve("nope"), 1024));
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // opening a FIFO would wait for a writer
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertEquals("is a device, FIFO or socket, not a regular file", refused(fifo, 1024));
    }

    @Test
    void aLinkIsFollowedToARegularFileOnly() throws Exception {
        Path f = Files.writeString(dir.resolve("ca.crt"), "pem");
        assertArrayEquals("pem".getBytes(), InputFile.read(Files.createSymbolicLink(dir.resolve("link"), f), 1024));
        Path toDevice = Files.createSymbolicLink(dir.resolve("zero"), Path.of("/dev/zero"));
        assertEquals("is a device, FIFO or socket, not a regular file", refused(toDevice, 1024));
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("gone"));
        assertEquals("does not exist", refused(dangling, 1024));
    }
}
