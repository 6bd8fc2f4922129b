package dev.dynport.check.parse;

import dev.dynport.check.model.ServiceRunState;
import dev.dynport.check.model.ServiceStatus;
import dev.dynport.check.parse.Lines.Line;
import java.util.List;
import java.util.Objects;

/**
 * Reads {@code sc.exe queryex NAME}: the service's state and process id, or the error sc failed with.
 *
 * <pre>
 *   [blank lines]
 *   SERVICE_NAME: MSExchangePOP3BE                         first line: label: NAME
 *           TYPE               : 10  WIN32_OWN_PROCESS
 *           STATE              : 4  RUNNING                the one state line, found by its value
 *                                   (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)
 *           WIN32_EXIT_CODE    : 0  (0x0)
 *           SERVICE_EXIT_CODE  : 0  (0x0)
 *           CHECKPOINT         : 0x0
 *           WAIT_HINT          : 0x0
 *           PID                : 4711                      the one field whose whole value is decimal digits
 *           FLAGS              :
 *
 *   state value = 1 STOPPED | 2 START_PENDING | 3 STOP_PENDING | 4 RUNNING | 5 CONTINUE_PENDING
 *                 | 6 PAUSE_PENDING | 7 PAUSED                number and constant, nothing else
 *
 *   [SC] EnumQueryServicesStatus:OpenService FAILED 1060:  failure: [SC] ... code:  (FAILED may be translated)
 *   [blank]
 *   The specified service does not exist as an installed service.     any text (translated)
 *
 *   pt-BR (labels translated, constants not):  NOME_DO_SERVIÇO: wuauserv / ESTADO              : 1  STOPPED
 * </pre>
 *
 * Labels are not compared (see {@link ScQcParser}). The PID is read without its label: of the fields sc prints,
 * only the PID's value is a bare decimal number (the exit codes carry {@code (0x..)}, checkpoint and wait hint
 * are hexadecimal, FLAGS is empty or a word), so a second such field is not queryex output and is refused
 * rather than guessed at. The PID is taken when the state is RUNNING; for any other state it is 0 (a pending
 * state's process is not reported). A RUNNING state with no such field is refused: queryex always prints the
 * PID, so the output was cut after the state ({@code sc query}, which prints none, is not what is captured).
 *
 * <p>Refused, as {@link OutputFormatException} naming the line: empty or blank text; a line over
 * {@value ScOutput#MAX_LINE} characters; a first line that is neither a failure line nor the service name line;
 * a service name other than the expected one; an error code of 0 or out of range; sc output after a failure
 * line; any {@code [SC]} line after the name; no state line (truncated, or the {@code qc} output); two state
 * lines; a number that disagrees with its constant ({@code 1  RUNNING}) or text after the constant; a state
 * line without a line end; two bare-number fields; RUNNING without a PID field; a PID above {@value Integer#MAX_VALUE} or a PID line without a line end (cut inside
 * the number) when it is read.
 */
public final class ScQueryExParser {
    private ScQueryExParser() {
    }

    /** The name the messages give the command: {@code sc.exe queryex MSExchangePOP3BE}. */
    public static String command(String service) {
        return "sc.exe queryex " + service;
    }

    public static ServiceStatus parse(String text, String expectedService) throws OutputFormatException {
        Objects.requireNonNull(expectedService, "expectedService");
        String command = command(expectedService);
        List<Line> lines = ScOutput.split(command, text);
        int name = ScOutput.nextNonBlank(lines, 0);
        int code = ScOutput.failure(command, lines, name);
        if (code != 0) {
            return ServiceStatus.failed(expectedService, code);
        }
        ScOutput.requireServiceName(command, lines.get(name), expectedService);
        Line stateLine = null;
        ServiceRunState state = null;
        Line pidLine = null;
        int pidCandidates = 0;
        for (int i = name + 1; i < lines.size(); i++) {
            Line line = lines.get(i);
            if (ScOutput.isScLine(line)) {
                throw new OutputFormatException(command, line.number(), line.text(),
                        "an [SC] line after the service name: two outputs run together");
            }
            String value = ScOutput.value(line.text());
            if (value != null && Lines.isAsciiDigits(value)) {
                if (pidLine != null) {
                    throw new OutputFormatException(command, line.number(), line.text(),
                            "a second field with a bare number (the first is line " + pidLine.number()
                                    + "): which one is the process id is ambiguous");
                }
                pidCandidates++;
                pidLine = line;
                continue;
            }
            ServiceRunState s = state(command, line);
            if (s == null) {
                continue;
            }
            if (stateLine != null) {
                throw new OutputFormatException(command, line.number(), line.text(),
                        "a second state line (the first is line " + stateLine.number() + ")");
            }
            stateLine = line;
            state = s;
        }
        if (stateLine == null) {
            Line last = Lines.lastNonBlank(lines);
            throw new OutputFormatException(command, last.number(), last.text(),
                    "no state line ('STATE : 4  RUNNING', label in any language): truncated or not 'sc queryex'"
                            + " output");
        }
        Lines.requireLineEnd(command, stateLine);
        int pid = 0;
        if (state == ServiceRunState.RUNNING && pidCandidates == 0) {
            // queryex always prints the PID; without it the output was cut after the state (or is 'sc query')
            Line last = Lines.lastNonBlank(lines);
            throw new OutputFormatException(command, last.number(), last.text(),
                    "truncated: no process id field after the RUNNING state ('PID : 4711', label in any language)");
        }
        if (state == ServiceRunState.RUNNING && pidCandidates == 1) {
            long value = Lines.value(ScOutput.value(pidLine.text()));
            if (value > Integer.MAX_VALUE) {
                throw new OutputFormatException(command, pidLine.number(), pidLine.text(),
                        "process id above " + Integer.MAX_VALUE);
            }
            Lines.requireLineEnd(command, pidLine);
            pid = (int) value;
        }
        return ServiceStatus.found(expectedService, state, pid);
    }

    /** The state of a line whose value is a number and a state constant; null for any other line. */
    private static ServiceRunState state(String command, Line line) throws OutputFormatException {
        List<String> pair = ScOutput.pair(line);
        if (pair == null) {
            return null;
        }
        ServiceRunState bySymbol = null;
        for (ServiceRunState s : ServiceRunState.values()) {
            if (s.symbol().equals(pair.get(1))) {
                bySymbol = s;
            }
        }
        if (bySymbol == null) {
            return null;
        }
        long number = Lines.value(pair.get(0));
        if (number != bySymbol.code()) {
            throw new OutputFormatException(command, line.number(), line.text(),
                    "state number " + ScOutput.clip(pair.get(0)) + " disagrees with its constant "
                            + bySymbol.symbol() + " (" + bySymbol.code() + ")");
        }
        if (pair.size() > 2) {
            throw new OutputFormatException(command, line.number(), line.text(),
                    "unexpected text after the state " + bySymbol.symbol());
        }
        return bySymbol;
    }
}
