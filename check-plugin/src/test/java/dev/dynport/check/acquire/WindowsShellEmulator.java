package dev.dynport.check.acquire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a Win32-OpenSSH server runs an exec request, emulated closely enough to reject command lines that would
 * break on a real host. The account's default shell is one of:
 * <ul>
 * <li>{@link Shell#CMD}: sshd runs {@code cmd.exe /c "COMMAND"} (quotes added, nothing escaped); cmd strips the
 *     first and last quote and runs the rest: {@code &} separates commands outside quotes, {@code >nul} and
 *     {@code 2>&1} redirect, {@code echo} prints the rest of its piece verbatim (trailing blanks included).</li>
 * <li>{@link Shell#POWERSHELL}: sshd runs {@code powershell.exe -c "COMMAND"} with quotes escaped, so PowerShell
 *     parses COMMAND itself. Outside quotes, {@code &} is a parse error in Windows PowerShell 5.1 and {@code >}
 *     redirects to a PowerShell file; inside double quotes {@code $} and backtick would be expanded (rejected
 *     here). A native command gets its arguments re-quoted when they contain blanks.</li>
 * <li>{@link Shell#POSIX_SH}: a non-Windows default shell (Cygwin/MSYS bash): no {@code cmd} on PATH.</li>
 * </ul>
 * Programs print text with CRLF line ends in the console code page: IBM850 until {@code chcp 65001}, then
 * UTF-8, unless the program has a fixed code page (some programs ignore chcp).
 */
final class WindowsShellEmulator {
    enum Shell { CMD, POWERSHELL, POSIX_SH }

    /** A console program's output; {@code fixedCharset} null means it follows the console code page. */
    record Program(String text, Charset fixedCharset, int exitCode) {
        static Program of(String text) {
            return new Program(text, null, 0);
        }
    }

    record Outcome(byte[] stdout, byte[] stderr, int exitCode) {
    }

    private static final Charset OEM_DEFAULT = Charset.forName("IBM850");

    private final Map<List<String>, Program> programs;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Charset console = OEM_DEFAULT;
    private int errorlevel;
    /** {@code exit [/b] N} outside a batch file ends cmd.exe with status N; nothing after it runs. */
    private boolean exited;

    private WindowsShellEmulator(Map<List<String>, Program> programs) {
        this.programs = programs;
    }

    static Outcome run(Shell shell, String command, Map<List<String>, Program> programs) {
        WindowsShellEmulator e = new WindowsShellEmulator(programs);
        switch (shell) {
            case CMD -> e.cmdSlashC("\"" + command + "\"");
            case POWERSHELL -> e.powershell(command);
            default -> {
                String first = command.strip().split("\\s+")[0];
                e.err.writeBytes(("sh: 1: " + first + ": not found\n").getBytes(StandardCharsets.US_ASCII));
                e.errorlevel = 127;
            }
        }
        return new Outcome(e.out.toByteArray(), e.err.toByteArray(), e.errorlevel);
    }

    /** cmd /c REST: with special characters inside, cmd removes the first and the last quote of REST. */
    private void cmdSlashC(String rest) {
        String line = rest.strip();
        if (line.startsWith("\"")) {
            int last = line.lastIndexOf('"');
            line = line.substring(1, last) + line.substring(last + 1);
        }
        cmdLine(line);
    }

    private void cmdLine(String line) {
        List<String> pieces = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (!quoted && c == '|') {
                throw new IllegalArgumentException("emulator: pipes are not used by the capture [" + line + "]");
            }
            if (!quoted && c == '&' && !(i > 0 && line.charAt(i - 1) == '>')) {
                pieces.add(cur.toString());
                cur.setLength(0);
                if (i + 1 < line.length() && line.charAt(i + 1) == '&') {
                    throw new IllegalArgumentException("emulator: && is not used by the capture [" + line + "]");
                }
                continue;
            }
            cur.append(c);
        }
        pieces.add(cur.toString());
        for (String piece : pieces) {
            if (exited) {
                return;
            }
            cmdPiece(piece);
        }
    }

    private void cmdPiece(String piece) {
        String head = piece.strip();
        if (head.toLowerCase(Locale.ROOT).matches("cmd(\\.exe)?(\\s.*)?")) {
            // cmd /c takes the rest of the line, quotes and all: its redirections belong to the inner line
            int c = indexOfSwitchC(head);
            if (c < 0) {
                throw new IllegalArgumentException("emulator: interactive cmd [" + piece + "]");
            }
            cmdSlashC(head.substring(c + 2));
            return;
        }
        boolean toNul = false;
        boolean errToOut = false;
        String text = piece;
        if (text.contains("2>&1")) {
            errToOut = true;
            text = text.replace("2>&1", "");
        }
        if (text.matches("(?s).*>\\s*nul\\s*")) {
            toNul = true;
            text = text.replaceFirst(">\\s*nul\\s*$", "");
        }
        if (text.contains(">") || text.contains("<")) {
            throw new IllegalArgumentException("emulator: unexpected redirection [" + piece + "]");
        }
        String trimmedLeft = text.stripLeading();
        if (trimmedLeft.isEmpty()) {
            return;
        }
        ByteArrayOutputStream o = toNul ? new ByteArrayOutputStream() : out;
        ByteArrayOutputStream e = errToOut ? o : err;
        java.util.regex.Matcher exit = java.util.regex.Pattern.compile("(?i)exit(?:\\s+/b)?\\s+(\\d+)\\s*")
                .matcher(trimmedLeft);
        if (exit.matches()) {
            errorlevel = Integer.parseInt(exit.group(1));
            exited = true;
            return;
        }
        if (trimmedLeft.regionMatches(true, 0, "echo ", 0, 5)) {
            o.writeBytes((trimmedLeft.substring(5) + "\r\n").getBytes(console));
            errorlevel = 0;
            return;
        }
        List<String> argv = Arrays.asList(trimmedLeft.strip().split("\\s+"));
        String name = argv.get(0).toLowerCase(Locale.ROOT).replaceFirst("\\.exe$", "");
        if (name.equals("chcp")) {
            if (argv.size() == 2 && argv.get(1).equals("65001")) {
                console = StandardCharsets.UTF_8;
            }
            o.writeBytes(("Active code page: " + argv.get(argv.size() - 1) + "\r\n").getBytes(console));
            errorlevel = 0;
            return;
        }
        Program p = programs.get(argv);
        if (p == null) {
            e.writeBytes(("'" + argv.get(0) + "' is not recognized as an internal or external command,\r\n"
                    + "operable program or batch file.\r\n").getBytes(console));
            errorlevel = 9009;
            return;
        }
        Charset cs = p.fixedCharset() != null ? p.fixedCharset() : console;
        o.writeBytes(p.text().replace("\r\n", "\n").replace("\n", "\r\n").getBytes(cs));
        errorlevel = p.exitCode();
    }

    /** Position of the {@code /c} switch of a {@code cmd [/d] /c ...} piece. */
    private static int indexOfSwitchC(String piece) {
        String[] tokens = piece.strip().split("\\s+");
        int pos = piece.indexOf(tokens[0]) + tokens[0].length();
        for (int i = 1; i < tokens.length; i++) {
            pos = piece.indexOf(tokens[i], pos);
            if (tokens[i].equalsIgnoreCase("/c")) {
                return pos;
            }
            if (!tokens[i].equalsIgnoreCase("/d")) {
                return -1;
            }
            pos += tokens[i].length();
        }
        return -1;
    }

    /** Windows PowerShell 5.1, as far as the capture needs: one native command with literal arguments. */
    private void powershell(String command) {
        // the parser sees the whole line before anything runs: an unquoted & fails it at once
        boolean inQuotes = false;
        for (char c : command.toCharArray()) {
            if (c == '"') {
                inQuotes = !inQuotes;
            } else if (c == '&' && !inQuotes) {
                psError("The ampersand (&) character is not allowed. The & operator is reserved for future use;"
                        + " wrap an ampersand in double quotation marks (\"&\") to pass it as part of a string.");
                return;
            }
        }
        List<String> args = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inToken = false;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '"') {
                int end = command.indexOf('"', i + 1);
                if (end < 0) {
                    psError("The string is missing the terminator: \".");
                    return;
                }
                String inner = command.substring(i + 1, end);
                if (inner.contains("$") || inner.contains("`")) {
                    throw new IllegalArgumentException("emulator: PowerShell would expand [" + inner + "]");
                }
                cur.append(inner);
                inToken = true;
                i = end;
                continue;
            }
            if (c == '>' || c == '<' || c == '|' || c == ';' || c == '$' || c == '`') {
                throw new IllegalArgumentException("emulator: PowerShell would interpret [" + c + "] in ["
                        + command + "]");
            }
            if (Character.isWhitespace(c)) {
                if (inToken) {
                    args.add(cur.toString());
                    cur.setLength(0);
                    inToken = false;
                }
                continue;
            }
            cur.append(c);
            inToken = true;
        }
        if (inToken) {
            args.add(cur.toString());
        }
        if (args.isEmpty()) {
            return;
        }
        // a native command: PowerShell 5.1 rebuilds its command line, quoting arguments that contain blanks
        StringBuilder nativeLine = new StringBuilder(args.get(0));
        for (String a : args.subList(1, args.size())) {
            nativeLine.append(' ').append(a.contains(" ") ? "\"" + a + "\"" : a);
        }
        String name = args.get(0).toLowerCase(Locale.ROOT).replaceFirst("\\.exe$", "");
        if (name.equals("cmd")) {
            String line = nativeLine.toString();
            int c = indexOfSwitchC(line);
            if (c < 0) {
                throw new IllegalArgumentException("emulator: interactive cmd [" + line + "]");
            }
            cmdSlashC(line.substring(c + 2));
            return;
        }
        psError(args.get(0) + " : The term '" + args.get(0) + "' is not recognized as the name of a cmdlet,"
                + " function, script file, or operable program.");
    }

    private void psError(String message) {
        err.writeBytes((message + "\r\n    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException\r\n")
                .getBytes(OEM_DEFAULT));
        errorlevel = 1;
    }
}
