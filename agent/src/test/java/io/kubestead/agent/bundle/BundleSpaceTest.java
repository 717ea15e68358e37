package io.kubestead.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extraction onto a real small file system (a 100 MiB tmpfs, mounted here; needs root like the netns tests). */
class BundleSpaceTest {
    @TempDir
    Path tmp;
    private SmallDisk small;
    private Path disk;
    private final KeyPair key = TestBundles.key();

    @BeforeEach
    void mount() throws Exception {
        small = SmallDisk.mount(tmp.resolve("disk"), 100);
        disk = small.dir();
    }

    @AfterEach
    void unmount() throws Exception {
        small.close();
    }

    private Path bundle(String name, int mib) throws Exception {
        Path staging = Files.createDirectories(tmp.resolve(name));
        TestBundles.write(staging, "images/pause.tar", new byte[mib << 20], false);
        Path out = tmp.resolve(name + ".tar.zst");
        new BundleWriter(Compression.ZSTD).write(staging, TestBundles.METADATA, key.getPrivate(), out);
        return out;
    }

    @Test
    void aBundleTheFileSystemCannotHoldIsRefusedBeforeTheFirstByte() throws Exception {
        Path big = bundle("big", 48); // 48 MiB + the 64 MiB margin > 100 MiB
        BundleException e = assertThrows(BundleException.class,
                () -> new BundleReader(key.getPublic(), false, (done, total) -> { }).extract(big, disk.resolve("bundle")));
        assertTrue(e.getMessage().matches("bundle big\\.tar\\.zst: not enough space for " + disk.resolve("bundle")
                + ": the bundle needs 112\\.0 MiB, the file system holding it has 10\\d\\.\\d MiB free;"
                + " free some space or grow the disk"), e.getMessage());
        try (Stream<Path> left = Files.list(disk)) {
            assertEquals(List.of(), left.toList(), "nothing left behind on the small disk");
        }
    }

    @Test
    void aBundleThatFitsIsExtracted() throws Exception {
        Path small = bundle("small", 8);
        new BundleReader(key.getPublic(), false, (done, total) -> { }).extract(small, disk.resolve("bundle"));
        assertEquals(8 << 20, Files.size(disk.resolve("bundle/images/pause.tar")));
    }
}
