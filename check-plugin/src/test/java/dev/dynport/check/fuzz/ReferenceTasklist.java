package dev.dynport.check.fuzz;

import static dev.dynport.check.fuzz.ReferenceFormats.lines;
import static dev.dynport.check.fuzz.ReferenceFormats.number;
import static dev.dynport.check.fuzz.ReferenceFormats.strip;

import dev.dynport.check.fuzz.ReferenceFormats.Line;
import dev.dynport.check.fuzz.ReferenceFormats.Process;
import dev.dynport.check.fuzz.ReferenceFormats.Unreadable;
import java.util.ArrayList;
import java.util.List;

/** The reference's reading of {@code tasklist /svc /fo csv}: each PID's image and the services it hosts. */
final class ReferenceTasklist {
    private ReferenceTasklist() {
    }

    /**
     * {@code tasklist /svc /fo csv /nh}: records of three quoted fields; one header record (non-numeric PID) may
     * come first; anything else once records have begun is refused; a PID twice is refused. The "not available"
     * word is localized: a service field without a comma holding '/' or '\' is that word, and so is the field of
     * PID 0 and PID 4 (System Idle Process and System never host a service) and every field equal to it.
     */
    static List<Process> tasklist(String text) throws Unreadable {
        List<Long> pids = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        List<String> placeholders = new ArrayList<>();
        boolean inRecords = false;
        boolean header = false;
        for (Line line : lines(text)) {
            String t = line.text();
            if (t.isEmpty()) {
                continue;
            }
            if (t.charAt(0) != '"') {
                if (inRecords) {
                    throw new Unreadable("not a record [" + t + "]");
                }
                continue;
            }
            List<String> f = csv(t);
            long pid = number(strip(f.get(1)));
            if (pid < 0 && !inRecords && !header) {
                header = true;
                continue;
            }
            inRecords = true;
            if (pid < 0 || pid > Integer.MAX_VALUE || strip(f.get(0)).isEmpty() || pids.contains(pid)) {
                throw new Unreadable("bad or repeated PID, or no image [" + t + "]");
            }
            pids.add(pid);
            String services = strip(f.get(2));
            if ((pid == 0 || pid == 4) && !services.contains(",")) {
                placeholders.add(services);
            }
            rows.add(new String[] {strip(f.get(0)), services});
        }
        if (rows.isEmpty()) {
            throw new Unreadable("no process record");
        }
        List<Process> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String services = rows.get(i)[1];
            List<String> names = new ArrayList<>();
            if (!placeholders.contains(services)
                    && (services.contains(",") || !(services.contains("/") || services.contains("\\")))) {
                for (String s : services.split(",")) {
                    if (!strip(s).isEmpty()) {
                        names.add(strip(s));
                    }
                }
            }
            out.add(new Process(pids.get(i), rows.get(i)[0], names));
        }
        return out;
    }

    private static List<String> csv(String t) throws Unreadable {
        List<String> fields = new ArrayList<>();
        int i = 0;
        while (true) {
            if (i >= t.length() || t.charAt(i) != '"') {
                throw new Unreadable("unquoted field [" + t + "]");
            }
            StringBuilder f = new StringBuilder();
            for (i++; ; i++) {
                if (i >= t.length()) {
                    throw new Unreadable("unterminated field [" + t + "]");
                }
                if (t.charAt(i) == '"') {
                    if (i + 1 < t.length() && t.charAt(i + 1) == '"') {
                        f.append('"');
                        i++;
                    } else {
                        break;
                    }
                } else {
                    f.append(t.charAt(i));
                }
            }
            fields.add(f.toString());
            i++;
            if (i == t.length()) {
                break;
            }
            if (t.charAt(i++) != ',') {
                throw new Unreadable("text after a closing quote [" + t + "]");
            }
        }
        if (fields.size() != 3) {
            throw new Unreadable(fields.size() + " fields [" + t + "]");
        }
        return fields;
    }
}
