package dev.dynport.check.parse;

import dev.dynport.check.model.DynamicRange;

/**
 * Reads {@code /proc/sys/net/ipv4/ip_local_port_range}: the Linux ephemeral range, which IPv6 shares (there is
 * no IPv6 counterpart; see {@code judge.LinuxFacts}).
 *
 * <pre>
 *   32768&lt;TAB&gt;60999&lt;LF&gt;          low and high port, both inclusive; one tab between them
 * </pre>
 *
 * Refused, with the line: no text, no line end, a second line, anything but two ASCII numbers separated by one
 * tab (blanks are not what the kernel prints; {@code sysctl}'s {@code name = value} form is another command),
 * a port above 65535, low above high. A range the kernel accepts but {@link DynamicRange} does not model (start
 * below {@value DynamicRange#MIN_START}, fewer than {@value DynamicRange#MIN_COUNT} ports) is refused too, naming
 * it: judging it as something else would be a guess.
 */
public final class LinuxPortRangeParser {
    public static final String COMMAND = "cat /proc/sys/net/ipv4/ip_local_port_range";

    private LinuxPortRangeParser() {
    }

    public static DynamicRange parse(String text) throws OutputFormatException {
        String line = SysctlText.value(COMMAND, text);
        int tab = line.indexOf('\t');
        if (tab < 0 || line.indexOf('\t', tab + 1) >= 0) {
            throw new OutputFormatException(COMMAND, 1, line, "not two numbers separated by one tab");
        }
        int low = SysctlText.port(line.substring(0, tab));
        int high = SysctlText.port(line.substring(tab + 1));
        if (low < 0 || high < 0) {
            throw new OutputFormatException(COMMAND, 1, line, "not two port numbers from 0 to 65535");
        }
        if (low > high) {
            throw new OutputFormatException(COMMAND, 1, line, "low port " + low + " is above high port " + high);
        }
        int count = high - low + 1;
        if (low < DynamicRange.MIN_START || count < DynamicRange.MIN_COUNT) {
            throw new OutputFormatException(COMMAND, 1, line, "range " + low + "-" + high + " is valid on Linux but"
                    + " outside what this check models (start at least " + DynamicRange.MIN_START + ", at least "
                    + DynamicRange.MIN_COUNT + " ports)");
        }
        return new DynamicRange(low, count);
    }
}
