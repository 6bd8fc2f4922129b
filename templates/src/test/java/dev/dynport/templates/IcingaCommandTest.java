package dev.dynport.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * templates/icinga2/dynport-command.conf against the check's options and docs/templates.md, without Icinga (the same
 * rule e2e/icinga2/run.sh applies to {@code check_dynport --help} in a real Icinga 2): every option of the CLI is an
 * argument, the options added with the usage thresholds and the Linux backend map to the documented variables, and
 * every variable the command reads is documented.
 */
class IcingaCommandTest {
    static final String CONF = "templates/icinga2/dynport-command.conf";
    static final String CLI = "check-plugin/src/main/java/dev/dynport/check/cli";
    private static final Pattern ARGUMENT = Pattern.compile(
            "(?m)^\\t\\t\"(-[-a-zA-Z0-9]+)\" = \\{\\s*\\n\\t\\t\\t(value|set_if) = \"\\$([a-z0-9_]+)\\$\"");

    private static final Pattern PLAIN_OPTION =
            Pattern.compile("addOption\\(\"([a-zA-Z])\", \"([a-z][-a-z0-9]*)\", (?:true|false),");

    /** The arguments of the first CheckCommand: option → the custom variable its value or set_if reads. */
    static Map<String, String> arguments(String conf) {
        Map<String, String> out = new TreeMap<>();
        Matcher m = ARGUMENT.matcher(conf);
        while (m.find()) {
            out.putIfAbsent(m.group(1), m.group(3));
        }
        return out;
    }

    /**
     * The options the CLI declares: {@code Option.builder("w").longOpt(WARNING)}, {@code .longOpt("local")} with
     * {@code static final String WARNING = "warning"} constants resolved within the same file, and
     * {@code o.addOption("v", "verbose", false, ...)}. Each option as its long name, with the short one beside it
     * ({@code --warning -w}).
     */
    static Map<String, String> cliOptions(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        Pattern constant = Pattern.compile("static final String ([A-Z_0-9]+) = \"([a-z][-a-z0-9]*)\";");
        Pattern option = Pattern.compile("Option\\.builder\\((?:\"([a-zA-Z])\")?\\)\\s*\\.longOpt\\((\"[-a-z0-9]+\"|[A-Z_0-9]+)\\)");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String java = Files.readString(f, StandardCharsets.UTF_8);
                Map<String, String> constants = new HashMap<>();
                Matcher c = constant.matcher(java);
                while (c.find()) {
                    constants.put(c.group(1), c.group(2));
                }
                Matcher o = option.matcher(java);
                while (o.find()) {
                    String ref = o.group(2);
                    String name = ref.startsWith("\"") ? ref.substring(1, ref.length() - 1) : constants.get(ref);
                    assertTrue(name != null, f + ": cannot resolve longOpt(" + ref + ")");
                    out.put("--" + name, o.group(1) == null ? "" : "-" + o.group(1));
                }
                Matcher plain = PLAIN_OPTION.matcher(java);
                while (plain.find()) {
                    out.put("--" + plain.group(2), "-" + plain.group(1));
                }
            }
        }
        return out;
    }

    private static String read(String relative) throws IOException {
        return Files.readString(RepoFiles.file(relative), StandardCharsets.UTF_8);
    }

    @Test
    void everyOptionOfTheCheckIsAnArgumentOfTheCheckCommand() throws Exception {
        Map<String, String> options = cliOptions(RepoFiles.root().resolve(CLI));
        // guards the text reader: the CLI has had more than 30 options since issue 9
        assertTrue(options.size() > 30 && options.containsKey("--warning") && options.containsKey("--platform"),
                "options read from " + CLI + ": " + options);
        Set<String> keys = arguments(read(CONF)).keySet();
        Set<String> missing = new TreeSet<>();
        options.forEach((longName, shortName) -> {
            if (!Set.of("--help", "--version").contains(longName) && !keys.contains(longName)
                    && !keys.contains(shortName)) {
                missing.add(longName);
            }
        });
        assertEquals(Set.of(), missing, "options of check_dynport without an argument in " + CONF);
    }

    @Test
    void usageThresholdsPlatformAndReportModesReadTheirVariables() throws Exception {
        Map<String, String> args = arguments(read(CONF));
        assertEquals("dynport_usage_warning", args.get("-w"));
        assertEquals("dynport_usage_critical", args.get("-c"));
        assertEquals("dynport_platform", args.get("--platform"));
        assertEquals("dynport_audit", args.get("--audit"));
        assertEquals("dynport_explain", args.get("--explain"));
        String conf = read(CONF);
        // --platform needs -H in the CLI: only rendered where -H is
        assertTrue(conf.contains("set_if = {{ macro(\"$dynport_platform$\") != \"\" && macro(\"$dynport_snapshot$\")"
                + " == \"\" && !macro(\"$dynport_local$\") }}"), "--platform must be set only for SSH");
    }

    @Test
    void everyVariableOfTheCheckCommandIsDocumented() throws Exception {
        String docs = read("docs/templates.md");
        Set<String> undocumented = new TreeSet<>();
        for (String variable : arguments(read(CONF)).values()) {
            if (!docs.contains("`" + variable + "`")) {
                undocumented.add(variable);
            }
        }
        assertEquals(Set.of(), undocumented, "variables of " + CONF + " missing in docs/templates.md");
    }

    @Test
    void readsArgumentsAndOptionsFromTheirNotations() {
        assertEquals(Map.of("-w", "dynport_usage_warning", "--local", "dynport_local"), arguments(
                "\t\t\"-w\" = {\n\t\t\tvalue = \"$dynport_usage_warning$\"\n\t\t}\n"
                        + "\t\t\"--local\" = {\n\t\t\tset_if = \"$dynport_local$\"\n\t\t}\n"));
    }
}
