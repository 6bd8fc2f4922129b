package dev.dynport.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** templates/grafana/dynport-noc.json: importable, and every metric it queries is one the agent exports. */
class GrafanaDashboardTest {
    static final String DASHBOARD = "templates/grafana/dynport-noc.json";
    private static final Pattern METRIC = Pattern.compile("\\bdynport_[a-z_]+\\b");

    @Test
    void isAnImportableDashboardWhosePanelsAllQueryTheChosenPrometheus() throws IOException {
        JsonNode d = new ObjectMapper().readTree(RepoFiles.file(DASHBOARD).toFile());
        assertEquals("dynport-noc", d.path("uid").asText());
        assertEquals("DS_PROMETHEUS", d.path("__inputs").path(0).path("name").asText());
        assertTrue(d.path("panels").size() > 0, "no panels");
        for (JsonNode panel : d.path("panels")) {
            String title = panel.path("title").asText();
            assertFalse(title.isBlank(), "a panel without a title");
            assertEquals("${DS_PROMETHEUS}", panel.path("datasource").path("uid").asText(), title);
            assertTrue(panel.path("targets").size() > 0, title + " has no query");
            for (JsonNode t : panel.path("targets")) {
                assertTrue(METRIC.matcher(t.path("expr").asText()).find(), title + " queries no dynport metric");
            }
        }
    }

    @Test
    void queriesOnlyMetricsTheAgentExports() throws IOException {
        Set<String> queried = new TreeSet<>();
        Matcher m = METRIC.matcher(Files.readString(RepoFiles.file(DASHBOARD), StandardCharsets.UTF_8));
        while (m.find()) {
            queried.add(m.group());
        }
        assertFalse(queried.isEmpty());
        Set<String> exported = agentMetricNames();
        assumeFalse(exported.isEmpty(), "this tree's probe-agent exports no dynport_* metrics yet");
        // The delivery metrics (spool depth, failed attempts, drops) come with the delivery pipeline.
        assumeFalse(!Files.isRegularFile(RepoFiles.root().resolve(
                "probe-agent/src/main/java/dev/dynport/probe/sink/DeliveryPipeline.java")),
                "this tree's probe-agent has no delivery pipeline (and so no delivery metrics) yet");
        Set<String> unknown = new TreeSet<>(queried);
        unknown.removeAll(exported);
        assertTrue(unknown.isEmpty(), "the dashboard queries metrics the agent does not export: " + unknown
                + " (exported: " + exported + ")");
    }

    /** Metric names written as string literals in the agent's sources, e.g. {@code new Metric("dynport_x", ...)}. */
    private static Set<String> agentMetricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        Pattern literal = Pattern.compile("\"(dynport_[a-z_]+)\"");
        Path src = RepoFiles.root().resolve("probe-agent/src/main/java");
        if (!Files.isDirectory(src)) {
            return names;
        }
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = literal.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }
}
