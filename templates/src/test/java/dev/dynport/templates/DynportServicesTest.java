package dev.dynport.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * templates/icinga2/dynport-services.conf makes the per-port passive services from a copy of the profiles' port
 * lists (Icinga cannot read Java): the copy must equal dynport-core's Profile.java, or results for the missing
 * ports get 404 from the Icinga API. e2e/icinga2/run.sh checks the services Icinga really creates.
 */
class DynportServicesTest {
    static final String CONF = "templates/icinga2/dynport-services.conf";
    static final String PROFILE = "dynport-core/src/main/java/dev/dynport/check/judge/Profile.java";

    @Test
    void profilePortsInTheIcingaTemplateAreThoseOfTheCheck() throws Exception {
        Map<String, List<Integer>> java = javaProfiles(Files.readString(RepoFiles.file(PROFILE), StandardCharsets.UTF_8));
        assertTrue(java.keySet().containsAll(List.of("exchange-popimap", "exchange", "none")), "profiles read: " + java);
        assertEquals(java, confProfiles(Files.readString(RepoFiles.file(CONF), StandardCharsets.UTF_8)),
                "globals.DynportProfilePorts in " + CONF + " differs from " + PROFILE);
    }

    @Test
    void readsProfilesFromBothNotations() {
        // guards the two text readers above against reading nothing from either side
        assertEquals(Map.of("a", List.of(1, 2), "b", List.of()), confProfiles(
                "globals.DynportProfilePorts = {\n\t\"a\" = [ 1, 2 ]\n\t\"b\" = []\n}\n"));
        assertEquals(Map.of("a", List.of(1, 2), "b", List.of()), javaProfiles(
                "A(\"a\", List.of(\n port(1, \"x\", \"S\"),\n port(2, \"y\"))),\n B(\"b\", List.of());"));
    }

    /** {@code NAME("profile", List.of(port(9933, ...), ...))} up to the next constant. */
    static Map<String, List<Integer>> javaProfiles(String source) {
        Map<String, List<Integer>> out = new TreeMap<>();
        Matcher constant = Pattern.compile("[A-Z_]+\\(\"([a-z-]+)\", List\\.of\\(").matcher(source);
        List<int[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (constant.find()) {
            names.add(constant.group(1));
            spans.add(new int[] {constant.end(), 0});
        }
        for (int i = 0; i < spans.size(); i++) {
            int end = i + 1 < spans.size() ? spans.get(i + 1)[0] : source.length();
            out.put(names.get(i), numbers(Pattern.compile("port\\((\\d+),"), source.substring(spans.get(i)[0], end)));
        }
        return out;
    }

    /** The body of {@code globals.DynportProfilePorts = { "name" = [ 1, 2 ] ... }}. */
    static Map<String, List<Integer>> confProfiles(String conf) {
        int start = conf.indexOf("globals.DynportProfilePorts = {");
        assertTrue(start >= 0, "no globals.DynportProfilePorts in " + CONF);
        String body = conf.substring(start, conf.indexOf("\n}", start));
        Map<String, List<Integer>> out = new TreeMap<>();
        Matcher entry = Pattern.compile("\"([a-z-]+)\"\\s*=\\s*\\[([^\\]]*)]").matcher(body);
        while (entry.find()) {
            out.put(entry.group(1), numbers(Pattern.compile("(\\d+)"), entry.group(2)));
        }
        return out;
    }

    private static List<Integer> numbers(Pattern p, String text) {
        List<Integer> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }
}
