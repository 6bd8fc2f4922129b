package dev.dynport.check.parse;

import dev.dynport.check.model.ExcludedRange;
import dev.dynport.check.model.ExcludedRanges;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code /proc/sys/net/ipv4/ip_local_reserved_ports}: ports the kernel never hands out as ephemeral ports,
 * for IPv4 and IPv6 alike (Documentation/networking/ip-sysctl.rst, ip_local_reserved_ports). Every entry is an
 * administrator's reservation: Linux has nothing like Windows' Hyper-V/WinNAT system reservations, so each becomes
 * an {@linkplain ExcludedRange#administered() administered} exclusion.
 *
 * <pre>
 *   &lt;LF&gt;                               nothing reserved (the default): an empty line
 *   9100,40000-40002,50000&lt;LF&gt;         ports and inclusive ranges, ascending, comma-separated, no blanks
 * </pre>
 *
 * The kernel prints its bitmap in ascending order with runs as {@code a-b}. Refused, with the line: no text, no
 * line end, a second line, blanks or any character but digits, {@code -} and {@code ,}, an empty item, a port above
 * 65535, a range whose end is below its start, items out of ascending order or overlapping (not what the kernel
 * prints, so a hand-made or damaged list). One pass over the line.
 */
public final class LinuxReservedPortsParser {
    public static final String COMMAND = "cat /proc/sys/net/ipv4/ip_local_reserved_ports";

    private LinuxReservedPortsParser() {
    }

    public static ExcludedRanges parse(String text) throws OutputFormatException {
        String line = SysctlText.value(COMMAND, text);
        List<ExcludedRange> ranges = new ArrayList<>();
        if (line.isEmpty()) {
            return new ExcludedRanges(ranges);
        }
        int previousEnd = -1;
        int from = 0;
        while (from <= line.length()) {
            int comma = line.indexOf(',', from);
            int to = comma < 0 ? line.length() : comma;
            String item = line.substring(from, to);
            int dash = item.indexOf('-');
            int start = SysctlText.port(dash < 0 ? item : item.substring(0, dash));
            int end = dash < 0 ? start : SysctlText.port(item.substring(dash + 1));
            if (start < 0 || end < 0) {
                throw new OutputFormatException(COMMAND, 1, line, "item [" + item + "] is not a port or a range a-b"
                        + " of ports from 0 to 65535");
            }
            if (end < start) {
                throw new OutputFormatException(COMMAND, 1, line, "range [" + item + "] ends below its start");
            }
            if (start <= previousEnd) {
                throw new OutputFormatException(COMMAND, 1, line, "item [" + item + "] is not above the one before"
                        + " it: the kernel prints the list in ascending order");
            }
            ranges.add(new ExcludedRange(start, end, true));
            previousEnd = end;
            if (comma < 0) {
                break;
            }
            from = comma + 1;
        }
        return new ExcludedRanges(ranges);
    }
}
