package dev.dynport.templates;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one cmd.exe hazard a Linux build can check: cmd reads a parenthesised block as a whole and expands every
 * {@code %...%} in it at that moment, before it knows where the block ends. A path such as
 * {@code C:\Program Files (x86)\dynport} brings its own ")" and ends the block early: "... was unexpected at this
 * time", and the script aborts on every run. Batch files that keep expansions out of blocks cannot hit it.
 *
 * <p>Deliberately stricter than cmd: every unquoted "(" opens a group and every unquoted ")" closes one (so an
 * {@code echo} with parentheses counts too), and every expansion inside a group is reported, quoted or not, be it
 * {@code %~f0}/{@code %~dp0}, {@code %1}, {@code %*} or {@code %NAME%}. {@code %%} (a for variable or a literal
 * percent) is not an expansion, nor is {@code %SystemRoot%}: Windows setup (Vista and later) always installs into
 * {@code X:\Windows}, which has no parenthesis. Comment lines ({@code rem}, {@code ::}) and labels are skipped; quotes end with
 * their line, as in cmd.
 */
final class BatchBlocks {
    /** {@code %~dpnx0}, {@code %~1}, {@code %0}, {@code %*}, {@code %NAME%}, {@code %NAME:a=b%}. */
    private static final Pattern EXPANSION = Pattern.compile("%(?:~[a-zA-Z$:]*[0-9]|[0-9*]|[^%\\s\"]+%)");

    private BatchBlocks() {
    }

    /** {@code line N: EXPANSION inside a parenthesised block}, one per hit, plus unbalanced parentheses. */
    static List<String> expansionsInsideBlocks(String script) {
        List<String> problems = new ArrayList<>();
        int depth = 0;
        String[] lines = script.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            String head = line.stripLeading().toLowerCase(java.util.Locale.ROOT);
            if (head.startsWith("@")) {
                head = head.substring(1);
            }
            if (head.equals("rem") || head.startsWith("rem ") || head.startsWith("::") || head.startsWith(":")) {
                continue;
            }
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '%') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '%') {
                        i++;
                        continue;
                    }
                    Matcher m = EXPANSION.matcher(line).region(i, line.length());
                    if (m.lookingAt()) {
                        if (depth > 0 && !m.group().equalsIgnoreCase("%SystemRoot%")) {
                            problems.add("line " + (n + 1) + ": " + m.group() + " inside a parenthesised block");
                        }
                        i = m.end() - 1;
                    }
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (quoted) {
                    continue;
                } else if (c == '^') {
                    i++;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    if (depth == 0) {
                        problems.add("line " + (n + 1) + ": ')' closes no block");
                    } else {
                        depth--;
                    }
                }
            }
        }
        if (depth != 0) {
            problems.add("end of file: " + depth + " parenthesised block(s) not closed");
        }
        return problems;
    }
}
