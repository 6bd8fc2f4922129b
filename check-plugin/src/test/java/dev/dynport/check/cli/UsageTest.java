package dev.dynport.check.cli;

import static dev.dynport.check.cli.CheckDynportTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dynport.check.cli.CheckDynportTest.Run;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.apache.commons.cli.HelpFormatter;
import org.junit.jupiter.api.Test;

/** {@code --help} prints the options the parser takes, laid out by commons-cli, however it is asked for. */
class UsageTest {

    /** What HelpFormatter makes of the options the parser takes: what Usage.TEXT must hold. */
    static String formatted() {
        StringWriter text = new StringWriter();
        PrintWriter pw = new PrintWriter(text);
        HelpFormatter formatter = new HelpFormatter();
        formatter.setNewLine("\n");
        formatter.printHelp(pw, 100, "check_dynport (--snapshot FILE | --local | -H HOST [-l USER] [-i KEY]) [options]",
                "\nChecks that fixed service ports cannot be taken by the TCP dynamic port range (Exchange on Windows; Linux).\n\n",
                Arguments.options(), 2, 2,
                "\nExit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. Details: README.md.\n");
        pw.flush();
        return text.toString();
    }

    @Test
    void theHelpTextListsEveryOptionAsHelpFormatterLaysItOut() {
        String expected = formatted();
        assertEquals(expected, Usage.TEXT, "an option changed: replace Usage.TEXT with this text:\n" + expected);
    }

    @Test
    void helpAloneAndHelpAmongOtherOptionsPrintTheSame() {
        Run alone = run("--help");
        assertEquals(0, alone.exit());
        assertEquals(Usage.text(), alone.out());
        assertEquals(alone, run("-h"));
        assertEquals(alone, run("-v", "--help"));
    }

    @Test
    void helpWithAnUnknownOptionIsStillRefused() {
        Run r = run("--help", "--bogus");
        assertEquals(3, r.exit());
        assertEquals("DYNPORT UNKNOWN - [--bogus] is not an option of check_dynport (see --help)\n", r.out());
    }
}
