package dev.dynport.check.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Black-box: a bad command line is answered with its most basic problem first, in the plugin's one-line style (the
 * offending word in brackets, exit 3), including the errors commons-cli itself detects.
 */
class ArgumentErrorsTest {
    private static final String SNAPSHOT = CheckDynportTest.snapshot("exchange-protected");

    private static void assertRefused(String expected, String... args) {
        CheckDynportTest.Run r = CheckDynportTest.run(args);
        assertEquals("DYNPORT UNKNOWN - " + expected + "\n", r.out());
        assertEquals(3, r.exit());
    }

    @Test
    void snapshotWithHostNamesTheTwoSourcesNotTheMissingSshUser() {
        // The environment of CheckDynportTest.run has no USER: -H alone would be refused for want of -l.
        assertRefused("give only one of --snapshot, --local and -H (given: --snapshot [" + SNAPSHOT
                + "], -H [exch01])", "--snapshot", SNAPSHOT, "-H", "exch01");
    }

    @Test
    void localWithHostNamesTheTwoSourcesNotTheBadSshPort() {
        assertRefused("give only one of --snapshot, --local and -H (given: --local, -H [exch01])",
                "-H", "exch01", "-p", "99999", "--local");
    }

    @Test
    void twoSourcesAreNamedBeforeABadCharset() {
        assertRefused("give only one of --snapshot, --local and -H (given: --snapshot [" + SNAPSHOT + "], --local)",
                "--charset", "no-such-charset", "--local", "--snapshot", SNAPSHOT);
    }

    @Test
    void noSourceIsNamedBeforeABadCharset() {
        assertRefused("no input: give --snapshot FILE, --local or -H HOST (see --help)", "--charset", "nope");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--bogus|[--bogus] is not an option of check_dynport (see --help)",
        "-x|[-x] is not an option of check_dynport (see --help)",
        "--snap|[--snap] is not an option of check_dynport; options are not abbreviated: --snapshot? (see --help)",
        "--unreachable|[--unreachable] is not an option of check_dynport; options are not abbreviated:"
                + " --unreachable-state? (see --help)",
        "--ex|[--ex] is not an option of check_dynport; options are not abbreviated: --expect-host or"
                + " --expect-listening or --explain or --exposed-state? (see --help)",
    })
    void unknownOptionIsNamedInBrackets(String option, String expected) {
        assertRefused(expected, "--snapshot", SNAPSHOT, option);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--snapshot|--snapshot needs a value: --snapshot FILE",
        "-H|-H/--hostname needs a value: --hostname HOST",
        "--timeout|-t/--timeout needs a value: --timeout SECONDS",
    })
    void optionWithoutItsValueSaysWhichValue(String option, String expected) {
        assertRefused(expected, option);
    }

    @Test
    void optionWhoseValueLooksLikeAnOptionSaysItNeedsAValue() {
        assertRefused("--snapshot needs a value: --snapshot FILE", "--snapshot", "--local");
    }
}
