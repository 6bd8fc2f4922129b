package dev.dynport.check.parse;

import dev.dynport.check.model.ServiceConfig;
import dev.dynport.check.model.ServiceStartType;
import dev.dynport.check.parse.Lines.Line;
import java.util.List;
import java.util.Objects;

/**
 * Reads {@code sc.exe qc NAME}: the service's start type, or the error sc failed with.
 *
 * <pre>
 *   [SC] QueryServiceConfig SUCCESS                        optional header: any [SC] line that is no failure
 *   [blank lines]
 *   SERVICE_NAME: MSExchangePOP3BE                         first line (after the header): label: NAME
 *           TYPE               : 10  WIN32_OWN_PROCESS
 *           START_TYPE         : 3   DEMAND_START          the one start-type line, found by its value
 *           ERROR_CONTROL      : 1   NORMAL
 *           BINARY_PATH_NAME   : "C:\...\Microsoft.Exchange.Pop3Service.exe"
 *           ...                                            any other lines
 *
 *   start-type value = 0 BOOT_START | 1 SYSTEM_START | 2 AUTO_START | 3 DEMAND_START | 4 DISABLED
 *                      | 2 AUTO_START (DELAYED)            delayed automatic start reads as AUTOMATIC
 *
 *   [SC] OpenService FAILED 1060:                          failure: [SC] ... code:  (FAILED may be translated)
 *   [blank]
 *   The specified service does not exist as an installed service.     any text (translated)
 * </pre>
 *
 * Labels are translated on non-English Windows, so none is compared: the service-name line is the first line
 * of the body and is recognised by the name it carries (case-insensitive); the start-type line is the one line
 * whose value is a number and a start-type constant. A failure gives {@link ServiceConfig#failed} with its code
 * (1060: not installed; 5: access denied).
 *
 * <p>Refused, as {@link OutputFormatException} naming the line: empty or blank text; a line over
 * {@value ScOutput#MAX_LINE} characters; a first line that is neither an {@code [SC]} line nor the service name
 * line (cmd's "'sc.exe' is not recognized", another command); a service name other than the expected one; an
 * error code of 0 or out of range; sc output after a failure line; no start-type line (truncated, or the
 * {@code queryex} output); two start-type lines; a number that disagrees with its constant
 * ({@code 2   DEMAND_START}); anything after the constant but {@code (DELAYED)} after {@code AUTO_START}; a
 * start-type line without a line end (cut).
 */
public final class ScQcParser {
    private ScQcParser() {
    }

    /** The name the messages give the command: {@code sc.exe qc MSExchangePOP3BE}. */
    public static String command(String service) {
        return "sc.exe qc " + service;
    }

    public static ServiceConfig parse(String text, String expectedService) throws OutputFormatException {
        Objects.requireNonNull(expectedService, "expectedService");
        String command = command(expectedService);
        List<Line> lines = ScOutput.split(command, text);
        int first = ScOutput.nextNonBlank(lines, 0);
        int code = ScOutput.failure(command, lines, first);
        if (code != 0) {
            return ServiceConfig.failed(expectedService, code);
        }
        int name = ScOutput.isScLine(lines.get(first)) ? ScOutput.nextNonBlank(lines, first + 1) : first;
        if (name < 0) {
            Line header = lines.get(first);
            throw new OutputFormatException(command, header.number(), header.text(),
                    "truncated: nothing after the [SC] line");
        }
        ScOutput.requireServiceName(command, lines.get(name), expectedService);
        Line found = null;
        ServiceStartType type = null;
        for (int i = name + 1; i < lines.size(); i++) {
            Line line = lines.get(i);
            if (ScOutput.isScLine(line)) {
                throw new OutputFormatException(command, line.number(), line.text(),
                        "a second [SC] line: two outputs run together");
            }
            ServiceStartType t = startType(command, line);
            if (t == null) {
                continue;
            }
            if (found != null) {
                throw new OutputFormatException(command, line.number(), line.text(),
                        "a second start-type line (the first is line " + found.number() + ")");
            }
            found = line;
            type = t;
        }
        if (found == null) {
            Line last = Lines.lastNonBlank(lines);
            throw new OutputFormatException(command, last.number(), last.text(),
                    "no start-type line ('START_TYPE : 3   DEMAND_START', label in any language): truncated or not"
                            + " 'sc qc' output");
        }
        Lines.requireLineEnd(command, found);
        return ServiceConfig.found(expectedService, type);
    }

    /** The start type of a line whose value is a number and a start-type constant; null for any other line. */
    private static ServiceStartType startType(String command, Line line) throws OutputFormatException {
        List<String> pair = ScOutput.pair(line);
        if (pair == null) {
            return null;
        }
        ServiceStartType bySymbol = null;
        for (ServiceStartType t : ServiceStartType.values()) {
            if (t.symbol().equals(pair.get(1))) {
                bySymbol = t;
            }
        }
        if (bySymbol == null) {
            return null;
        }
        long number = Lines.value(pair.get(0));
        if (number != bySymbol.code()) {
            throw new OutputFormatException(command, line.number(), line.text(),
                    "start type number " + ScOutput.clip(pair.get(0)) + " disagrees with its constant "
                            + bySymbol.symbol() + " (" + bySymbol.code() + ")");
        }
        boolean delayed = pair.size() == 3 && pair.get(2).equals("(DELAYED)")
                && bySymbol == ServiceStartType.AUTOMATIC;
        if (pair.size() > 2 && !delayed) {
            throw new OutputFormatException(command, line.number(), line.text(),
                    "unexpected text after the start type " + bySymbol.symbol());
        }
        return bySymbol;
    }
}
