package dev.dynport.templates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's event IDs, read from the single source {@code EventIds.java} as text (this module does not depend on
 * the agent, so a template check never needs the agent built). Reads lines of the form
 * <pre>    public static final int PORT_CRITICAL = 102;</pre>
 */
final class EventIdsSource {
    static final String PATH = "probe-agent/src/main/java/dev/dynport/probe/event/EventIds.java";
    private static final Pattern CONSTANT =
            Pattern.compile("public\\s+static\\s+final\\s+int\\s+([A-Z][A-Z0-9_]*)\\s*=\\s*(\\d+)\\s*;");

    private EventIdsSource() {
    }

    static Map<String, Integer> read() throws IOException {
        return parse(Files.readString(RepoFiles.file(PATH), StandardCharsets.UTF_8));
    }

    static Map<String, Integer> parse(String javaSource) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        Matcher m = CONSTANT.matcher(javaSource);
        while (m.find()) {
            ids.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return ids;
    }

    static Path path() {
        return RepoFiles.file(PATH);
    }
}
