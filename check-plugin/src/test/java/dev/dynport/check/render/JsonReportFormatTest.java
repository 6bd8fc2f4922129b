package dev.dynport.check.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.acquire.SnapshotReader;
import dev.dynport.check.judge.CheckOptions;
import dev.dynport.check.judge.CheckResult;
import dev.dynport.check.judge.DynportCheck;
import dev.dynport.check.judge.Profile;
import dev.dynport.check.judge.WatchedPort;
import dev.dynport.check.model.State;
import dev.dynport.check.run.CheckRun;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON's layout is what it was when databind wrote it (scripts that grep it see the same lines): the streaming
 * writer's text equals databind's default pretty printing of the tree parsed back from it. Over every bundled
 * snapshot (the examples and the fuzz regressions), with the default options and with options that put odd text
 * into the JSON (labels with quotes, backslashes, control characters and non-ASCII; owners; back-end ports), and
 * for each acquisition failure. (When the streaming writer replaced the databind one, a test compared the two
 * writers' output over the same inputs, byte for byte; commit "JSON report with jackson-core's streaming
 * generator".)
 */
class JsonReportFormatTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Stream<Path> snapshots() throws Exception {
        List<Path> all = new ArrayList<>();
        for (String dir : List.of("/snapshots", "/fuzz-regressions")) {
            try (Stream<Path> files = Files.list(Path.of(JsonReportFormatTest.class.getResource(dir).toURI()))) {
                files.filter(p -> p.getFileName().toString().endsWith(".snapshot")).sorted().forEach(all::add);
            }
        }
        return all.stream();
    }

    static List<CheckOptions> options() {
        List<WatchedPort> odd = List.of(
                new WatchedPort(9710, "diag \"quoted\" \\ back\tslash", List.of("MSExchangeServiceHost", "x\u00e9\u4e2d"),
                        WatchedPort.Origin.USER),
                new WatchedPort(64327, "Replikation \u00fc\u00df \u2028 \u0001", List.of(), WatchedPort.Origin.USER));
        return List.of(CheckOptions.defaults(),
                new CheckOptions(Profile.EXCHANGE, odd, State.CRITICAL, true, Map.of("MSExchangePOP3BE", 9955), true));
    }

    @ParameterizedTest
    @MethodSource("snapshots")
    void everyBundledSnapshotIsPrettyPrintedAsDatabindDoes(Path file) throws Exception {
        Snapshot snapshot;
        try {
            snapshot = SnapshotReader.read(Files.readAllBytes(file), Charset.forName("IBM850"), file.toString());
        } catch (AcquisitionException e) {
            // Some fuzz regressions are refused whole (a section twice, an overlong line): that answer is JSON too.
            assertSame(CheckRun.failed(e, State.UNKNOWN), file.getFileName().toString());
            return;
        }
        for (CheckOptions options : options()) {
            assertSame(DynportCheck.judge(snapshot, options), file.getFileName() + " with " + options);
        }
    }

    @Test
    void everyAcquisitionFailureIsPrettyPrintedAsDatabindDoes() throws Exception {
        for (AcquisitionException.Failure failure : AcquisitionException.Failure.values()) {
            AcquisitionException e = new AcquisitionException(failure, "host [h\u00f6st] said \"no\"\r\n");
            assertSame(CheckRun.failed(e, State.CRITICAL), failure.name());
        }
    }

    private static void assertSame(CheckResult result, String what) throws Exception {
        String actual = JsonReport.render(result);
        assertEquals(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(MAPPER.readTree(actual)) + "\n", actual,
                what);
    }
}
