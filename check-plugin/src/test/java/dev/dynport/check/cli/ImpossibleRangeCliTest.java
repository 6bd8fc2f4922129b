package dev.dynport.check.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box: a dynamic range netsh never prints (KB929851: at least 255 ports, last port at most 65535; real
 * captures start no lower than 1024) is UNKNOWN naming the command, line and value. Read as it stands, each of
 * these ranges leaves 9933 and 9955 outside and would turn an exposed host OK.
 */
class ImpossibleRangeCliTest {
    private static CheckDynportTest.Run exposedHostWith(Path dir, String from, String to) throws IOException {
        Path source = Path.of(CheckDynportTest.snapshot("exchange-exposed"));
        String text = new String(Files.readAllBytes(source), StandardCharsets.UTF_8);
        assertTrue(text.contains(from), from);
        Path edited = Files.write(dir.resolve("edited.snapshot"), text.replace(from, to).getBytes(StandardCharsets.UTF_8));
        return CheckDynportTest.run("--snapshot", edited.toString());
    }

    @Test
    void aCountOf30IsUnknownNotOk(@TempDir Path dir) throws IOException {
        CheckDynportTest.Run r = exposedHostWith(dir, "Number of Ports : 59530", "Number of Ports : 30");
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.out().contains("output of 'netsh int ipv4 show dynamicport tcp' line 5: number of ports 30 is"
                + " below netsh's minimum of 255 (KB929851) [Number of Ports : 30]"), r.out());
        assertTrue(r.out().contains("output of 'netsh int ipv6 show dynamicport tcp' line 5: number of ports 30 is"
                + " below netsh's minimum of 255 (KB929851) [Number of Ports : 30]"), r.out());
        assertFalse(r.out().contains("internal error"), r.out());
    }

    @Test
    void aStartBelow1024IsUnknownNotOk(@TempDir Path dir) throws IOException {
        // 10 + 9000 ports ends at 9009: below both back-end ports
        CheckDynportTest.Run r = exposedHostWith(dir, "Start Port      : 6005\r\nNumber of Ports : 59530",
                "Start Port      : 10\r\nNumber of Ports : 9000");
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.out().contains("output of 'netsh int ipv4 show dynamicport tcp' line 4: start port 10 is below"
                + " 1024, the lowest start netsh prints [Start Port      : 10]"), r.out());
        assertFalse(r.out().contains("internal error"), r.out());
    }
}
