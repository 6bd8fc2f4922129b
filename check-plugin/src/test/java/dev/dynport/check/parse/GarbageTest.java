package dev.dynport.check.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dynport.check.model.Family;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every parser against every garbage file, and against the other commands' outputs: a result or
 * {@link OutputFormatException}, never another exception, and a result only where one is expected.
 */
@ExtendWith(HostileLocales.class)
class GarbageTest {
    /** A parser as a function that may throw only its domain exception. */
    interface Parser {
        Object parse(String text) throws OutputFormatException;
    }

    static final Map<String, Parser> PARSERS = Map.ofEntries(
            Map.entry("dynamicport", DynamicPortParser::parse),
            Map.entry("excludedportrange", ExcludedPortRangeParser::parse),
            Map.entry("netstat", NetstatParser::parse),
            Map.entry("tasklist", TasklistSvcCsvParser::parse),
            Map.entry("settings", BackendSettingsParser::parse),

            // keys are fixture directories (the cross check below loads them); the service is the one each
            // directory's outputs mostly name, so a refusal there is about the shape, not the name
            Map.entry("sc/qc", text -> ScQcParser.parse(text, "MSExchangePOP3BE")),
            Map.entry("sc/queryex", text -> ScQueryExParser.parse(text, "MSExchangePOP3BE")),
            Map.entry("linux/port-range", LinuxPortRangeParser::parse),
            Map.entry("linux/reserved-ports", LinuxReservedPortsParser::parse),
            Map.entry("linux/ss", LinuxSsParser::parse),
            // the IPv4 file; its fixtures say which file each one is (parserFor)
            Map.entry("linux/proc-net-tcp", text -> ProcNetTcpParser.parse(text, Family.IPV4)));

    /**
     * The parser of a fixture's directory; an sc fixture is read for the service its expectation names (the
     * fixtures include other services' outputs).
     */
    static Parser parserFor(Fixture f) {
        String dir = dirOf(f);
        if (dir.startsWith("sc/")) {
            String service = f.expect().one("service");
            return dir.equals("sc/qc") ? text -> ScQcParser.parse(text, service)
                    : text -> ScQueryExParser.parse(text, service);
        }
        if (dir.equals("linux/proc-net-tcp")) {
            Family family = Family.valueOf(f.expect().one("family").toUpperCase(Locale.ROOT));
            return text -> ProcNetTcpParser.parse(text, family);
        }
        return PARSERS.get(dir);
    }

    /** {@code netstat}, or {@code sc/qc}, {@code linux/ss} for the nested sc and linux directories. */
    static String dirOf(Fixture f) {
        java.nio.file.Path parent = f.path().getParent();
        String name = parent.getFileName().toString();
        String above = parent.getParent().getFileName().toString();
        return above.equals("sc") || above.equals("linux") ? above + "/" + name : name;
    }

    record Garbage(Path path, Set<String> accepts, String why) {
        @Override
        public String toString() {
            return path.getFileName().toString();
        }
    }

    static List<Garbage> garbage() throws IOException {
        Path dir = Fixtures.dir("garbage");
        List<Garbage> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("expected.tsv"), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] c = line.split("\t", -1);
            Set<String> accepts = c[1].equals("none") ? Set.of() : Set.of(c[1].split(","));
            assertTrue(PARSERS.keySet().containsAll(accepts), line);
            out.add(new Garbage(dir.resolve(c[0]), accepts, c[2]));
        }
        Set<String> present;
        try (Stream<Path> files = Files.list(dir)) {
            present = files.map(p -> p.getFileName().toString()).filter(f -> !f.equals("expected.tsv"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(present, out.stream().map(Garbage::toString).collect(Collectors.toCollection(TreeSet::new)),
                "garbage/expected.tsv must list exactly the files of the directory");
        return out;
    }

    static Stream<Arguments> cases() throws IOException {
        List<Garbage> all = garbage();
        return HostileLocales.LOCALES.stream().flatMap(l -> all.stream().map(g -> Arguments.of(l.toLanguageTag(), g, l)));
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("cases")
    void everyParserGivesAResultOrItsDomainExceptionForGarbage(String tag, Garbage g, Locale locale) throws IOException {
        HostileLocales.use(locale);
        byte[] bytes = Files.readAllBytes(g.path());
        for (Charset cs : List.of(StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1)) {
            String text = new String(bytes, cs);
            for (Map.Entry<String, Parser> p : PARSERS.entrySet()) {
                Object result = resultOrNull(p.getValue(), text, g + " as " + cs + " by " + p.getKey());
                if (cs.equals(StandardCharsets.UTF_8)) {
                    boolean accepted = result != null;
                    assertEquals(g.accepts().contains(p.getKey()), accepted,
                            () -> p.getKey() + " on " + g + (accepted ? " gave " + result : " threw"));
                }
            }
        }
    }

    /** Outputs of one command are never accepted by another command's parser. */
    @Test
    void everyParserRejectsTheOtherCommandsOutputs() {
        int checked = 0;
        for (String dir : PARSERS.keySet()) {
            for (Fixture f : Fixtures.load(dir)) {
                if (f.expect().error()) {
                    continue;
                }
                String text = f.text();
                // sc's failure lines ([SC] ... FAILED 1060:) name no command in a form that is safe to read (the
                // API names differ, the shape does not): either sc parser reads the other's failure as a failure
                boolean scFailure = dir.startsWith("sc/") && f.expect().items().containsKey("error");
                for (Map.Entry<String, Parser> p : PARSERS.entrySet()) {
                    if (scFailure && p.getKey().startsWith("sc/")) {
                        continue;
                    }
                    if (!p.getKey().equals(dir)) {
                        assertThrows(OutputFormatException.class, () -> p.getValue().parse(text),
                                () -> p.getKey() + " accepted " + dir + "/" + f.name());
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 100, "only " + checked + " cross checks");
    }

    private static Object resultOrNull(Parser parser, String text, String what) {
        try {
            Object r = parser.parse(text);
            if (r == null) {
                fail(what + " returned null");
            }
            return r;
        } catch (OutputFormatException e) {
            assertTrue(e.getMessage().length() < 300, () -> "message too long: " + e.getMessage());
            return null;
        } catch (RuntimeException e) {
            throw new AssertionError(what + " threw " + e, e);
        }
    }
}
