package dev.dynport.check.parse;

import dev.dynport.check.model.ProcessInfo;
import dev.dynport.check.model.ProcessTable;
import dev.dynport.check.parse.Lines.Line;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code tasklist /svc /fo csv /nh}.
 *
 * <pre>
 *   [anything not starting with a quote: cmd banner, prompt + command echo, blank lines]
 *   ["Image Name","PID","Services"]                      header: translated, only without /nh; skipped
 *   "System Idle Process","0","N/A"
 *   "System","4","N/A"
 *   "svchost.exe","1240","BrokerInfrastructure,DcomLaunch,PlugPlay,Power,SystemEventsBroker"
 *   "Microsoft.Exchange.Imap4Service.exe","7788","MSExchangeIMAP4BE"
 *
 * de:  "Abbildname","PID","Dienste" / "System","4","Nicht zutreffend"
 * zh:  "映像名称","PID","服务" / "System","4","暂缺" (or 不适用, depending on the build)
 * </pre>
 *
 * <p>After stripping each line's outer blanks:
 * <pre>
 *   record   = field "," field "," field          image, PID, services; nothing before, between or after
 *   field    = '"' (any character but '"' | '""')* '"'
 *   image    = non-empty after stripping blanks
 *   PID      = ASCII digits only (no padding, no sign), 0..2147483647; unique in the output
 *   services = placeholder | name ("," name)*     name non-empty after stripping blanks
 * </pre>
 * The first record whose PID is not a number is a header (printed when {@code /nh} is missing) and is skipped;
 * later ones are errors. A line is at most {@value #MAX_LINE} characters: the longest record is a svchost.exe
 * hosting a whole service group, and even every service of a host in one process (a few hundred names of
 * about 20 characters, when one process per service has not split them) stays near 10,000; the longest seen
 * is under 110.
 *
 * <p>No services: tasklist prints its localized "not available" word ({@code N/A}, {@code Nicht zutreffend},
 * {@code 暂缺}, ...) instead of a list. The parser never keeps a list of those words. It reads the word from
 * the output itself: PID 0 (System Idle Process) and PID 4 (System) never host a service, so their field is
 * the placeholder, and every field equal to it means "no services". In addition a field without a comma that
 * contains {@code /} or {@code \} is a placeholder ({@code N/A}, {@code N/D}), because service names cannot
 * contain either character. Otherwise the field is split at commas and trimmed. Known limit: an excerpt
 * without the PID 0 and PID 4 rows in a language whose word has no slash reports that word as a service name
 * (harmless for the rules: they look for Exchange service names).
 *
 * <p>Rejected, each as {@link OutputFormatException} with the line: empty text; a line over the bound; no CSV
 * record (an error message, {@code INFO: No tasks ...}); the table format ({@code ====} rule: {@code /fo csv}
 * missing); a record with another number of fields ({@code /v} gives 9, plain {@code /fo csv} 5, two records
 * run together more); an unquoted field or an unterminated quote (truncated); a PID that is not bare ASCII
 * digits or too large, after the first record; an empty image name; an empty service name in a list; a PID
 * listed twice (two outputs run together); any non-CSV line once the records have begun. Known limit: a list cut
 * exactly at a record boundary cannot be told from a complete one.
 */
public final class TasklistSvcCsvParser {
    static final String COMMAND = "tasklist /svc /fo csv";

    static final int MAX_LINE = 65536;

    private TasklistSvcCsvParser() {
    }

    private record Row(Line line, String image, int pid, String services) {
    }

    public static ProcessTable parse(String text) throws OutputFormatException {
        List<Line> lines = Lines.split(COMMAND, text, MAX_LINE);
        List<Row> rows = new ArrayList<>();
        boolean inRecords = false;
        boolean headerSeen = false;
        Map<Integer, Line> seen = new HashMap<>();
        for (Line line : lines) {
            if (line.isBlank()) {
                continue;
            }
            if (line.text().charAt(0) != '"') {
                if (inRecords) {
                    throw new OutputFormatException(COMMAND, line.number(), line.text(),
                            "unexpected non-CSV line among the records");
                }
                if (Lines.ruleRuns(line.text(), '=') >= 2) {
                    throw new OutputFormatException(COMMAND, line.number(), line.text(),
                            "table format: expected 'tasklist /svc /fo csv /nh' output");
                }
                continue;
            }
            List<String> fields = fields(line);
            if (fields.size() != 3) {
                throw new OutputFormatException(COMMAND, line.number(), line.text(), fields.size()
                        + " fields, expected 3 (image, PID, services): not 'tasklist /svc /fo csv' output");
            }
            String pidField = fields.get(1);
            if (!inRecords && !headerSeen && !Lines.isAsciiDigits(pidField)) {
                headerSeen = true;
                continue;
            }
            inRecords = true;
            if (!Lines.isAsciiDigits(pidField) || Lines.value(pidField) > Integer.MAX_VALUE) {
                throw new OutputFormatException(COMMAND, line.number(), line.text(),
                        "PID is not a number in 0.." + Integer.MAX_VALUE + " [" + pidField + "]");
            }
            int pid = (int) Lines.value(pidField);
            String image = fields.get(0).strip();
            if (image.isEmpty()) {
                throw new OutputFormatException(COMMAND, line.number(), line.text(), "empty image name");
            }
            Line earlier = seen.putIfAbsent(pid, line);
            if (earlier != null) {
                throw new OutputFormatException(COMMAND, line.number(), line.text(),
                        "PID " + pid + " listed twice (first on line " + earlier.number() + ")");
            }
            rows.add(new Row(line, image, pid, fields.get(2).strip()));
        }
        if (rows.isEmpty()) {
            Line first = Lines.firstNonBlank(lines);
            throw new OutputFormatException(COMMAND, first.number(), first.text(),
                    "no process record: not 'tasklist /svc /fo csv' output");
        }
        Set<String> placeholders = new HashSet<>();
        for (Row r : rows) {
            if ((r.pid() == 0 || r.pid() == 4) && r.services().indexOf(',') < 0) {
                placeholders.add(r.services());
            }
        }
        List<ProcessInfo> processes = new ArrayList<>(rows.size());
        for (Row r : rows) {
            processes.add(new ProcessInfo(r.pid(), r.image(), services(r.line(), r.services(), placeholders)));
        }
        return new ProcessTable(processes);
    }

    private static List<String> services(Line line, String field, Set<String> placeholders)
            throws OutputFormatException {
        boolean single = field.indexOf(',') < 0;
        if (field.isEmpty() || placeholders.contains(field)
                || (single && (field.indexOf('/') >= 0 || field.indexOf('\\') >= 0))) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : field.split(",", -1)) {
            String name = s.strip();
            if (name.isEmpty()) {
                throw new OutputFormatException(COMMAND, line.number(), line.text(),
                        "empty service name in the services list: a damaged list");
            }
            out.add(name);
        }
        return out;
    }

    /**
     * The fields of one CSV record. tasklist quotes every field, so an unquoted one is an error; that also rejects
     * a record cut right after a separator ({@code "svchost.exe","968",}), which would otherwise read as a
     * process with no services.
     */
    private static List<String> fields(Line line) throws OutputFormatException {
        String s = line.text();
        List<String> out = new ArrayList<>(3);
        int i = 0;
        int n = s.length();
        while (true) {
            if (i >= n || s.charAt(i) != '"') {
                throw new OutputFormatException(COMMAND, line.number(), line.text(),
                        "field " + (out.size() + 1) + " is not quoted: truncated record or not 'tasklist /fo csv'");
            }
            StringBuilder field = new StringBuilder();
            i++;
            while (true) {
                if (i >= n) {
                    throw new OutputFormatException(COMMAND, line.number(), line.text(),
                            "unterminated quoted field: truncated record");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    if (i < n && s.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        break;
                    }
                } else {
                    field.append(c);
                }
            }
            out.add(field.toString());
            if (i >= n) {
                return out;
            }
            if (s.charAt(i) != ',') {
                throw new OutputFormatException(COMMAND, line.number(), line.text(),
                        "text after a closing quote at column " + (i + 1));
            }
            i++;
        }
    }
}
