package dev.dynport.check.parse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fixture file with its line from {@code expected.tsv}: how to decode it, which non-output wrapper to strip,
 * and what the parser must make of it.
 */
record Fixture(Path path, Charset charset, String prefix, Expectation expect, String why) {
    private static final Pattern LINE_WITH_END = Pattern.compile("([^\r\n]*)(\r\n|\r|\n|$)");

    String name() {
        String file = path.getFileName().toString();
        return charset.name().equals("UTF-8") ? file : file + " as " + charset.name();
    }

    byte[] bytes() {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The decoded text with the declared wrapper removed from the start of every line (line ends kept, so line
     * numbers stay those of the file). A line holding only the wrapper without its trailing blanks
     * ({@code "    vhd:"}, {@code "#"}) becomes empty.
     */
    String text() {
        String decoded = new String(bytes(), charset);
        if (prefix.isEmpty()) {
            return decoded;
        }
        StringBuilder sb = new StringBuilder(decoded.length());
        Matcher m = LINE_WITH_END.matcher(decoded);
        String bare = prefix.stripTrailing();
        while (m.find()) {
            String line = m.group(1);
            if (line.startsWith(prefix)) {
                line = line.substring(prefix.length());
            } else if (line.equals(bare)) {
                line = "";
            }
            sb.append(line).append(m.group(2));
            if (m.group(2).isEmpty()) {
                break;
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return name();
    }
}
