package dev.dynport.probe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret files are bounded, regular and never echoed; secret objects have exactly the documented keys. */
class SecretRefTest {
    @TempDir
    Path dir;

    private static JsonNode json(String text) throws ConfigException {
        return ConfigParser.readTree(text, "t");
    }

    private static String error(String node, Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> SecretRef.resolve(json(node), "/sinks/0/token", env))
                .getMessage();
    }

    private static String fileError(Path file) {
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> error("{\"file\": \"" + file + "\"}", Map.of()),
                "hang guard: reading the secret file blocked");
    }

    @Test
    void readsTheFirstLineOfASmallFile() throws Exception {
        Path f = Files.writeString(dir.resolve("token"), "s3cret\r\nsecond line\n", StandardCharsets.UTF_8);
        SecretRef s = SecretRef.resolve(json("{\"file\": \"" + f + "\"}"), "/p", Map.of());
        assertEquals("s3cret", s.valueAsString());
        assertEquals("<masked from file " + f + ">", s.toString());
    }

    @Test
    void aDeviceIsRefusedWithoutReadingIt() {
        assertEquals("/sinks/0/token/file is not a regular file (a FIFO, device or socket) [/dev/zero]",
                fileError(Path.of("/dev/zero")));
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("constructed-fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mkfifo.waitFor(60, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        assertEquals("/sinks/0/token/file is not a regular file (a FIFO, device or socket) [" + fifo + "]",
                fileError(fifo));
    }

    @Test
    void aDirectoryIsRefused() {
        assertEquals("/sinks/0/token/file is a directory [" + dir + "]", fileError(dir));
    }

    @Test
    void anOversizeFileIsRefusedWithItsSizeAndNoneOfItsContent() throws Exception {
        byte[] big = new byte[SecretRef.MAX_FILE_BYTES + 1];
        Arrays.fill(big, (byte) 'k');
        Path f = Files.write(dir.resolve("too-big"), big);
        String message = fileError(f);
        assertEquals("/sinks/0/token/file is too large for a key or secret file (65537 bytes, at most 65536) [" + f + "]",
                message);
        assertFalse(message.contains("kkk"), message);
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedWithoutShowingIt() throws Exception {
        Path f = Files.write(dir.resolve("latin1"), new byte[] {'p', (byte) 0xE4, 's', 's'});
        assertEquals("/sinks/0/token/file is not UTF-8 text [" + f + "]", fileError(f));
    }

    @Test
    void anUnknownKeyIsRefusedByNameAndItsValueIsNotShown() {
        String message = error("{\"env\": \"X\", \"fiel\": \"hunter2\"}", Map.of("X", "v"));
        assertEquals("/sinks/0/token/fiel is not a field of a secret; use {\"file\": PATH} or {\"env\": NAME} [fiel]",
                message);
        assertFalse(message.contains("hunter2"), message);
    }

    @Test
    void valuesMustBeStrings() {
        assertEquals("/sinks/0/token/file must be a file name", error("{\"file\": 7}", Map.of()));
        assertEquals("/sinks/0/token/env must be the name of an environment variable",
                error("{\"env\": [\"X\"]}", Map.of()));
    }
}
