package dev.dynport.check.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.judge.CheckResult;
import dev.dynport.check.judge.PerfDatum;
import dev.dynport.check.model.State;
import dev.dynport.check.render.NagiosText;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --format nrpe}: NRPE v2 (check_nrpe and NSClient++ by default) delivers the first 1024 bytes of the
 * output, NUL included, and drops the rest. What arrives must hold the state and the complete perfdata.
 */
class NrpeFormatTest {
    static final int NRPE_V2_PAYLOAD = 1024;

    /** Every bundled snapshot, under the default and the exchange profile (more ports, more perfdata). */
    static Stream<List<String>> runs() throws IOException, URISyntaxException {
        Path dir = Path.of(NrpeFormatTest.class.getResource("/snapshots").toURI());
        List<List<String>> runs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".snapshot")).sorted().toList()) {
                runs.add(List.of("--snapshot", f.toString()));
                runs.add(List.of("--snapshot", f.toString(), "--profile", "exchange"));
            }
        }
        return runs.stream();
    }

    /** What NRPE v2 hands to Nagios: at most 1023 bytes before its NUL, cut at the byte. */
    static String overNrpeV2(String out) {
        byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
        return new String(Arrays.copyOf(bytes, Math.min(bytes.length, NRPE_V2_PAYLOAD - 1)), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @MethodSource("runs")
    void firstKilobyteKeepsTheStateAndTheCompletePerfdataOnOneLine(List<String> args) {
        CheckDynportTest.Run full = CheckDynportTest.run(args.toArray(String[]::new));
        List<String> nrpeArgs = new ArrayList<>(args);
        nrpeArgs.addAll(List.of("--format", "nrpe"));
        CheckDynportTest.Run nrpe = CheckDynportTest.run(nrpeArgs.toArray(String[]::new));

        assertEquals(full.exit(), nrpe.exit());
        String received = overNrpeV2(nrpe.out());
        assertEquals(nrpe.out(), received, "cut by NRPE v2");
        assertTrue(received.endsWith("\n") && received.indexOf('\n') == received.length() - 1, "one line: " + received);
        String state = State.values()[nrpe.exit()].name();
        assertTrue(received.startsWith(NagiosText.SERVICE + " " + state + " - "), received);
        assertEquals(full.perfdata(), nrpe.perfdata());
        assertEquals(full.statusText(), nrpe.statusText());
    }

    /** The long output is what NRPE v2 would cut: the plain format passes 1024 bytes on some snapshots. */
    @Test
    void thePlainFormatIsWhatNeedsIt() throws Exception {
        boolean anyLonger = runs().anyMatch(args -> CheckDynportTest.run(args.toArray(String[]::new)).out()
                .getBytes(StandardCharsets.UTF_8).length >= NRPE_V2_PAYLOAD);
        assertTrue(anyLonger, "no bundled snapshot needs the short format: the test proves nothing");
    }

    /** A summary too long for the payload is cut, marked, never the state word and never a perfdata item. */
    @Test
    void aLongSummaryIsCutAndThePerfdataKeptWhole() {
        List<PerfDatum> perf = new ArrayList<>();
        for (int port = 6005; port < 6045; port++) {
            perf.add(new PerfDatum("port_" + port + "_state", 2, ""));
        }
        String summary = "9955/tcp POP3 back-end held by svchost.exe \u00dcberwachung ".repeat(40);
        CheckResult result = new CheckResult(State.CRITICAL, summary, List.of(), Map.of(), Map.of(), List.of(),
                List.of(), List.of(), (AcquisitionException.Failure) null, perf, null);

        String out = NagiosText.renderShort(result);

        assertTrue(out.getBytes(StandardCharsets.UTF_8).length <= NRPE_V2_PAYLOAD - 1, out);
        assertEquals(out, overNrpeV2(out));
        assertTrue(out.startsWith("DYNPORT CRITICAL - 9955/tcp POP3 back-end"), out);
        assertTrue(out.endsWith("... | " + NagiosText.perfdata(perf) + "\n"), out);
    }
}
