package io.kubestead.agent.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DryRunDirTest {
    @TempDir
    Path tmp;

    private Optional<Path> of(String word) {
        return DryRunDir.of(Words.parse(List.of(word), InstallWords.ALL, "install"), tmp);
    }

    private String refusal(String word) {
        return assertThrows(SpecException.class, () -> of(word)).getMessage();
    }

    @Test
    void everySpellingOfTheRootIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("to-root"), Path.of("/"));
        for (String word : List.of("dry-run=/", "dry-run=//", "dry-run=/tmp/..", "dry-run=/.", "dry-run=" + link,
                "dry-run=" + tmp + "/a/../../../../../../../..")) {
            assertTrue(refusal(word).contains("is / itself"), word);
        }
    }

    @Test
    void aNonEmptyDirectoryThatIsNoDryRunIsRefused() throws Exception {
        Files.createDirectories(tmp.resolve("d"));
        Files.writeString(tmp.resolve("d/notes.txt"), "x");
        String msg = refusal("dry-run=d");
        assertTrue(msg.contains("is not empty and holds no earlier dry run (.kubestead-dry-run)"), msg);
        Files.writeString(tmp.resolve("file"), "x");
        assertTrue(refusal("dry-run=file").contains("is not a directory"));
    }

    @Test
    void newEmptyAndEarlierDryRunDirectoriesAreTakenResolved() throws Exception {
        assertEquals(Optional.of(tmp.toRealPath().resolve("kubestead-dry-run")), of("dry-run"));
        Files.createDirectories(tmp.resolve("empty"));
        assertEquals(Optional.of(tmp.toRealPath().resolve("empty")), of("dry-run=empty"));
        Path earlier = Files.createDirectories(tmp.resolve("earlier/etc"));
        DryRunDir.claim(earlier.getParent());
        assertEquals(Optional.of(tmp.toRealPath().resolve("earlier")), of("dry-run=./x/../earlier"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("earlier"));
        // as realpath does: the link is followed first, so .. leaves its target
        assertEquals(Optional.of(tmp.toRealPath()), Optional.of(DryRunDir.resolve(Path.of(link + "/.."), "x")));
        assertEquals(Optional.empty(), DryRunDir.of(Words.parse(List.of("ha"), InstallWords.ALL, "install"), tmp));
    }

    @Test
    void claimMarksTheDirectoryOnce() throws Exception {
        Path d = tmp.resolve("new");
        DryRunDir.claim(d);
        DryRunDir.claim(d);
        assertTrue(Files.isRegularFile(d.resolve(DryRunDir.MARKER)));
        assertEquals(1, d.toFile().list().length);
    }
}
