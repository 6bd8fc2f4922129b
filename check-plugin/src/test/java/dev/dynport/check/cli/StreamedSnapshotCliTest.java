package dev.dynport.check.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot file's netstat section is read from the file after --save-snapshot may have replaced it. */
class StreamedSnapshotCliTest {
    @TempDir
    Path dir;

    /** Saving onto the file being checked renames a new file over it; the same bytes are still the same capture. */
    @Test
    void savingASnapshotOntoItselfKeepsItAndJudgesIt() throws Exception {
        Path file = dir.resolve("self-constructed.snapshot");
        Files.copy(Path.of(CheckDynportTest.snapshot("exchange-protected")), file);
        byte[] before = Files.readAllBytes(file);
        Object key = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        CheckDynportTest.Run r = CheckDynportTest.run("--snapshot", file.toString(), "--save-snapshot", file.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.firstLine().startsWith("DYNPORT OK - 4 watched ports safe"), r.firstLine());
        assertArrayEquals(before, Files.readAllBytes(file));
        if (key != null) {
            assertTrue(!key.equals(Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey()), "the file was replaced, not rewritten in place");
        }
    }
}
