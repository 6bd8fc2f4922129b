package dev.dynport.check.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What copy/paste, transports and consoles do to a text must not change what it says: every accepted fixture,
 * altered in one of these ways, parses to exactly the same result.
 */
class ToleranceTest {
    private static final String BANNER = "Microsoft Windows [Version 10.0.17763.5576]\r\n"
            + "(c) 2018 Microsoft Corporation. All rights reserved.\r\n\r\nC:\\Users\\svc-monitor>run the command\r\n";

    private static final Map<String, UnaryOperator<String>> ALTERATIONS = Map.of(
            "BOM", t -> "\uFEFF" + t,
            "LF only", t -> t.replace("\r\n", "\n").replace('\r', '\n'),
            "CRLF only", t -> t.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n"),
            "CR only", t -> t.replace("\r\n", "\r").replace('\n', '\r'),
            "indented and padded", t -> t.replaceAll("(?m)^(.*?)(\r?)$", "   $1 \t\u00A0$2"),
            "a blank line after every line", t -> t.replaceAll("(\r\n|\r|\n)", "$1$1"),
            "cmd banner and prompt before", t -> BANNER + t);

    static Stream<Arguments> cases() {
        return Stream.of("dynamicport", "excludedportrange", "netstat", "tasklist", "sc/qc", "sc/queryex")
                .flatMap(d -> Fixtures.load(d).stream().filter(f -> !f.expect().error()))
                .flatMap(f -> ALTERATIONS.keySet().stream().sorted()
                        // sc is read only from snapshot sections, where nothing precedes its output: its parsers
                        // require the first line to be [SC] or the service name, so a banner is refused there
                        .filter(a -> !(GarbageTest.dirOf(f).startsWith("sc/") && a.startsWith("cmd banner")))
                        .map(a -> Arguments.of(f, a)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void anAlteredValidOutputReadsTheSame(Fixture f, String alteration) throws Exception {
        GarbageTest.Parser parser = GarbageTest.parserFor(f);
        String text = f.text();
        String altered = ALTERATIONS.get(alteration).apply(text);
        if (!alteration.endsWith("only")) { // a fixture may already have the line ends asked for
            assertNotEquals(text, altered, "the alteration must change the text");
        }
        assertEquals(parser.parse(text), parser.parse(altered));
    }
}
