package dev.dynport.check.parse;

import dev.dynport.check.util.Text;

/**
 * A command output is not what it claims to be. Carries the command, the 1-based line number (0 when the
 * whole text is at fault) and the offending text, so the UNKNOWN message can say exactly what was wrong.
 */
public final class OutputFormatException extends Exception {
    private static final long serialVersionUID = 1L;
    private static final int MAX_QUOTED = 80;

    private final String command;
    private final int line;
    private final String offendingText;
    private final String reason;

    public OutputFormatException(String command, int line, String offendingText, String reason) {
        super(format(command, line, offendingText, reason));
        this.command = command;
        this.line = line;
        this.offendingText = offendingText == null ? "" : offendingText;
        this.reason = reason;
    }

    private static String format(String command, int line, String text, String reason) {
        StringBuilder sb = new StringBuilder(command).append(": ");
        if (line > 0) {
            sb.append("line ").append(line).append(": ");
        }
        sb.append(reason);
        if (text != null && !text.isEmpty()) {
            sb.append(" [").append(Text.clip(text.strip(), MAX_QUOTED)).append(']');
        }
        return sb.toString();
    }

    public String command() {
        return command;
    }

    public int line() {
        return line;
    }

    public String offendingText() {
        return offendingText;
    }

    public String reason() {
        return reason;
    }
}
