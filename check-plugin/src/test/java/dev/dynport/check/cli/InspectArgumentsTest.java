package dev.dynport.check.cli;

import static dev.dynport.check.cli.CheckDynportTest.check;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dynport.check.cli.CheckDynportTest.Run;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad arguments to --audit/--explain: one line naming the value, exit 3, before anything is read. */
class InspectArgumentsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--explain 0|--explain [0]: PORT must be a number from 1 to 65535",
        "--explain 65536|--explain [65536]: PORT must be a number from 1 to 65535",
        "--explain +80|--explain [+80]: PORT must be a number from 1 to 65535",
        "--explain 5173,5174|--explain [5173,5174]: PORT must be a number from 1 to 65535",
        "--explain|--explain needs a value: --explain PORT",
        "--audit --explain 5173|give only one of --audit and --explain (given: --audit, --explain [5173])",
        "--audit --exposed-state critical|--exposed-state [critical] is an option of the check and means nothing to"
                + " --audit: leave one of them out",
        "--explain 80 --expect-listening|--expect-listening is an option of the check and means nothing to --explain:"
                + " leave one of them out",
        "--audit --watch-unused|--watch-unused is an option of the check and means nothing to --audit: leave one of"
                + " them out",
        "--audit -v|--verbose is an option of the check and means nothing to --audit: leave one of them out",
        "--audit --format nrpe|--format [nrpe] is for the check: --audit prints nagios or json",
        "--explain 80 --pop3-backend-port 1995|--pop3-backend-port [1995] is an option of the check and means nothing"
                + " to --explain: leave one of them out"})
    void refusesWithOneLine(String args, String message) {
        Run r = check("exchange-exposed", args.split(" "));
        assertEquals(3, r.exit(), r.out());
        assertEquals("DYNPORT UNKNOWN - " + message + "\n", r.out());
    }

    @ParameterizedTest
    @CsvSource({"--audit", "--explain"})
    void profileNoneIsFineForTheReportModes(String mode) {
        Run r = mode.equals("--audit") ? check("exchange-exposed", mode, "--profile", "none")
                : check("exchange-exposed", mode, "9933", "--profile", "none");
        assertEquals(mode.equals("--audit") ? 0 : 2, r.exit(), r.out());
    }
}
