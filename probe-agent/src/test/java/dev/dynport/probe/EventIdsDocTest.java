package dev.dynport.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dynport.probe.event.EventIds;
import dev.dynport.probe.event.EventType;
import dev.dynport.check.model.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The event ID table in docs/agent.md is checked against {@link EventIds}, the single source. */
class EventIdsDocTest {
    @Test
    void theDocumentedTableMatchesEventIds() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "agent.md"));
        String table = doc.substring(doc.indexOf("### Event IDs"), doc.indexOf("## Operations endpoint"));
        Map<Integer, String> documented = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^\\| (\\d+) \\| ([A-Z_ /]+?) \\|").matcher(table);
        while (m.find()) {
            documented.put(Integer.parseInt(m.group(1)), m.group(2));
        }
        Map<Integer, String> actual = new TreeMap<>();
        for (EventType type : EventType.values()) {
            if (type == EventType.PORT_STATE_CHANGED || type == EventType.PORT_RENOTIFY) {
                for (State s : State.values()) {
                    actual.put(EventIds.of(type, s), "PORT_STATE_CHANGED / PORT_RENOTIFY");
                }
            } else if (type.isUsage()) {
                for (State s : State.values()) {
                    actual.put(EventIds.of(type, s), "USAGE_STATE_CHANGED / USAGE_RENOTIFY");
                }
            } else {
                actual.put(EventIds.of(type, State.OK), type.name());
            }
        }
        assertEquals(actual, documented);
        actual.keySet().forEach(id -> assertEquals(true, id >= 1 && id <= 1000, "eventcreate range: " + id));
    }
}
