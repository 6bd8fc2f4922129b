package dev.dynport.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The minimal agent config printed in the README (section "Probe agent") is what a new user copies first: it must
 * pass {@code --validate-config} as printed, and {@code --once} with it must report the bundled snapshot's finding.
 * Runs the production wiring, as {@code dynport-probe} does.
 */
class ReadmeAgentConfigTest {
    private static final Path README = Path.of("..", "README.md");

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** The first ```json block after the heading "## Probe agent". */
    static String readmeConfig() throws Exception {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int section = readme.indexOf("\n## Probe agent\n");
        assertTrue(section >= 0, "README.md has no section \"## Probe agent\"");
        int start = readme.indexOf("\n```json\n", section);
        int next = readme.indexOf("\n## ", section + 1);
        assertTrue(start >= 0 && (next < 0 || start < next), "README.md's \"Probe agent\" section has no ```json block");
        start += "\n```json\n".length();
        return readme.substring(start, readme.indexOf("\n```", start));
    }

    private int run(Path config, String mode) {
        return ProbeAgentMain.run(new String[] {"--config", config.toString(), mode},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("HOME", dir.toString()), ProbeAgentMain.defaultWiring());
    }

    @Test
    void theReadmeConfigValidatesAsPrinted() throws Exception {
        Path config = Files.writeString(dir.resolve("probe.json"), readmeConfig());
        assertEquals(0, run(config, "--validate-config"), err.toString(StandardCharsets.UTF_8));
        assertEquals("config OK", out.toString(StandardCharsets.UTF_8).lines().findFirst().orElse(""));
    }

    @Test
    void theReadmeConfigRunOnceReportsTheBundledSnapshotsForeignHolder() throws Exception {
        // The README says to save the file in the repository root; tests run in probe-agent/. The spool and the
        // JSON lines go to this test's directory instead of /tmp and stdout, so that they can be read back.
        ObjectMapper json = new ObjectMapper();
        JsonNode config = json.readTree(readmeConfig());
        String snapshot = config.at("/targets/0/file").asText();
        assertTrue(Files.isRegularFile(Path.of("..", snapshot)), "README names a snapshot that does not exist: " + snapshot);
        Path events = dir.resolve("events.jsonl");
        String text = readmeConfig()
                .replace("\"" + snapshot + "\"", json.writeValueAsString(Path.of("..", snapshot).toString()))
                .replace("\"" + config.at("/spool/dir").asText() + "\"", json.writeValueAsString(dir.resolve("spool").toString()))
                .replace("\"path\": \"-\"", "\"path\": " + json.writeValueAsString(events.toString()));
        Path file = Files.writeString(dir.resolve("probe.json"), text);

        assertEquals(0, run(file, "--once"), err.toString(StandardCharsets.UTF_8));

        List<JsonNode> lines = Files.readAllLines(events).stream().map(l -> {
            try {
                return json.readTree(l);
            } catch (java.io.IOException e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertTrue(lines.stream().anyMatch(e -> e.path("event_id").asInt() == 102 && e.path("port").asInt() == 9955
                && e.path("family").asText().equals("ipv4") && e.path("host").asText().equals("exch01")),
                "no CRITICAL event for exch01 9955/ipv4 in " + lines);
    }
}
