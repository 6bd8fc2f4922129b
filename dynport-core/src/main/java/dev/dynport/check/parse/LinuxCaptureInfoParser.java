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
 * Reads the {@code linux-capture-info} section: what {@code uname -n; date +%Y-%m-%dT%H:%M:%S%z; uname -sr}
 * prints (POSIX utilities; {@code --local} writes the same three lines itself).
 *
 * <pre>
 *   mail01                                       the node name (may hold dots: some hosts set an FQDN)
 *   2026-12-01T05:06:56+0000                     local time, UTC offset without a colon (POSIX %z)
 *   Linux 6.1.0-18-amd64                         kernel name and release
 * </pre>
 *
 * Exactly three non-blank lines, each of its shape; the offset is also accepted as {@code +hh:mm}. The OS version
 * kept is the whole third line ({@code Linux 6.1.0-18-amd64}). Refused, with the line: anything else, as
 * {@link CaptureInfoParser} refuses it.
 */
public final class LinuxCaptureInfoParser {
    static final String COMMAND = "linux-capture-info (uname -n, date, uname -sr)";
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?");
    private static final Pattern TIME = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})([+-]\\d{2}):?(\\d{2})");
    private static final Pattern OS = Pattern.compile("Linux [\\x21-\\x7e]{1,64}");

    private LinuxCaptureInfoParser() {
    }

    public static CaptureInfo parse(String text) throws OutputFormatException {
        List<Line> lines = Lines.split(COMMAND, text, CaptureInfoParser.MAX_LINE);
        List<Line> content = new ArrayList<>(3);
        for (Line l : lines) {
            if (!l.isBlank()) {
                if (content.size() == 3) {
                    throw new OutputFormatException(COMMAND, l.number(), l.text(),
                            "more than three lines (host, time, kernel): not one capture's output");
                }
                content.add(l);
            }
        }
        Lines.requireLineEnd(COMMAND, Lines.lastNonBlank(lines));
        Line host = content.get(0);
        if (!HOST.matcher(host.text()).matches()) {
            throw new OutputFormatException(COMMAND, host.number(), host.text(),
                    "first line is not a node name as uname -n prints it");
        }
        if (content.size() < 3) {
            Line last = content.get(content.size() - 1);
            throw new OutputFormatException(COMMAND, last.number(), last.text(),
                    "only " + content.size() + " of three lines (host, time, kernel)");
        }
        Line time = content.get(1);
        var m = TIME.matcher(time.text());
        if (!m.matches()) {
            throw new OutputFormatException(COMMAND, time.number(), time.text(),
                    "second line is not a time as date +%Y-%m-%dT%H:%M:%S%z prints it");
        }
        OffsetDateTime at;
        try {
            at = OffsetDateTime.parse(m.group(1) + m.group(2) + ":" + m.group(3), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeException e) {
            throw new OutputFormatException(COMMAND, time.number(), time.text(), "second line is not a real date and time");
        }
        Line os = content.get(2);
        if (!OS.matcher(os.text()).matches()) {
            throw new OutputFormatException(COMMAND, os.number(), os.text(), "third line is not [Linux RELEASE]");
        }
        return new CaptureInfo(host.text(), at.toInstant(), at.getOffset(), os.text());
    }
}
