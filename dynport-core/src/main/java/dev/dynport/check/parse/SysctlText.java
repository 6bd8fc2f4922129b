package dev.dynport.check.parse;

/**
 * The one line a {@code /proc/sys} file holds: the kernel prints the value and a single line feed. A snapshot may
 * have turned that LF into CRLF (a copy through Windows); anything else around the value (a second line, a lone
 * CR, no line end at all) is not the file as the kernel prints it, and is refused naming the line.
 */
final class SysctlText {
    private SysctlText() {
    }

    /** The value without its line end. */
    static String value(String command, String text) throws OutputFormatException {
        if (text == null || text.isEmpty()) {
            throw new OutputFormatException(command, 0, "", "empty output: the kernel prints at least a line feed,"
                    + " so the file was not read");
        }
        int lf = text.indexOf('\n');
        if (lf < 0) {
            throw new OutputFormatException(command, 1, text, "no line end: cut output");
        }
        if (lf != text.length() - 1) {
            int second = lf + 1;
            int end = text.indexOf('\n', second);
            throw new OutputFormatException(command, 2, text.substring(second, end < 0 ? text.length() : end),
                    "more than one line: the kernel prints one");
        }
        String value = text.substring(0, lf);
        if (value.endsWith("\r")) {
            value = value.substring(0, value.length() - 1);
        }
        if (value.indexOf('\r') >= 0) {
            throw new OutputFormatException(command, 1, value, "carriage return inside the line");
        }
        return value;
    }

    /** ASCII digits only, at most 5 of them; -1 otherwise. */
    static int port(String digits) {
        if (digits.isEmpty() || digits.length() > 5) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n <= 65535 ? n : -1;
    }
}
