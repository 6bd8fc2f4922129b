package dev.dynport.check.parse;

import dev.dynport.check.model.CaptureInfo;
import dev.dynport.check.parse.Lines.Line;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the {@code capture-info} section: what
 * {@code powershell -NoProfile -NonInteractive -InputFormat None -Command hostname;Get-Date -Format o;[Environment]::OSVersion.VersionString}
 * prints.
 *
 * <pre>
 *   EXCH01                                       hostname.exe: the computer name, no domain
 *   2024-05-02T14:03:07.1234567+02:00            Get-Date -Format o: local time with the UTC offset ("Z" too)
 *   Microsoft Windows NT 10.0.17763.0            .NET's fixed text, never translated
 *   [blank lines before, between and after are ignored]
 * </pre>
 *
 * All three are language-independent: {@code -Format o} is the invariant round-trip pattern (Gregorian
 * calendar and ASCII digits whatever the user's culture), and the version text is .NET's, not Windows'.
 *
 * <p>Exactly three non-blank lines, in this order, each of its exact shape:
 * <pre>
 *   host    = 1 to 63 of [A-Za-z0-9-_], not starting or ending with "-"
 *   time    = yyyy-MM-ddTHH:mm:ss[.1-9 digits](Z|+hh:mm|-hh:mm)     a real date and time
 *   os      = "Microsoft Windows NT " digits "." digits "." digits "." digits   (each 1-9 digits)
 * </pre>
 * Rejected, as {@link OutputFormatException} with the line: empty or blank text; a line over {@value #MAX_LINE}
 * characters; fewer or more than three non-blank lines (PowerShell missing prints cmd's "not recognized" text,
 * a blocked or failed statement prints an error record, two captures run together print six lines); a line not
 * of its shape (a host name with a dot or a blank is not what {@code hostname} prints); a last line without a
 * line end (cut). No line is guessed from its position alone: each must also have its own shape.
 */
public final class CaptureInfoParser {
    static final String COMMAND = "capture-info (hostname, Get-Date, OS version)";
    static final int MAX_LINE = 256;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:Z|[+-]\\d{2}:\\d{2})");
    private static final String OS_PREFIX = "Microsoft Windows NT ";
    private static final Pattern VERSION = Pattern.compile("\\d{1,9}\\.\\d{1,9}\\.\\d{1,9}\\.\\d{1,9}");

    private CaptureInfoParser() {
    }

    public static CaptureInfo parse(String text) throws OutputFormatException {
        List<Line> lines = Lines.split(COMMAND, text, MAX_LINE);
        List<Line> content = new ArrayList<>(3);
        for (Line l : lines) {
            if (!l.isBlank()) {
                if (content.size() == 3) {
                    throw new OutputFormatException(COMMAND, l.number(), l.text(),
                            "more than three lines (host, time, OS version): not one capture's output");
                }
                content.add(l);
            }
        }
        Lines.requireLineEnd(COMMAND, Lines.lastNonBlank(lines));
        Line host = content.get(0);
        if (!HOST.matcher(host.text()).matches()) {
            throw new OutputFormatException(COMMAND, host.number(), host.text(),
                    "first line is not a host name as hostname prints it");
        }
        if (content.size() < 3) {
            Line last = content.get(content.size() - 1);
            throw new OutputFormatException(COMMAND, last.number(), last.text(),
                    "only " + content.size() + " of three lines (host, time, OS version)");
        }
        Line time = content.get(1);
        OffsetDateTime at = time(time);
        Line os = content.get(2);
        if (!os.text().startsWith(OS_PREFIX) || !VERSION.matcher(os.text().substring(OS_PREFIX.length())).matches()) {
            throw new OutputFormatException(COMMAND, os.number(), os.text(),
                    "third line is not [" + OS_PREFIX + "a.b.c.d]");
        }
        return new CaptureInfo(host.text(), at.toInstant(), at.getOffset(), os.text().substring(OS_PREFIX.length()));
    }

    private static OffsetDateTime time(Line line) throws OutputFormatException {
        if (!TIME.matcher(line.text()).matches()) {
            throw new OutputFormatException(COMMAND, line.number(), line.text(),
                    "second line is not an ISO-8601 time with a UTC offset");
        }
        try {
            return OffsetDateTime.parse(line.text(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeException e) {
            throw new OutputFormatException(COMMAND, line.number(), line.text(), "second line is not a real date and time");
        }
    }
}
