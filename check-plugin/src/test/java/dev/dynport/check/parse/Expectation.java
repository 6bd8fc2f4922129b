package dev.dynport.check.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

/**
 * The {@code expect} column of an {@code expected.tsv}: {@code ok; key=value; ...} or
 * {@code error; line=N; reason=fragment}. Items are separated by {@code "; "}; a key may repeat.
 */
record Expectation(boolean error, Map<String, List<String>> items) {
    static Expectation parse(String column) {
        String[] parts = column.split("; ");
        String kind = parts[0].strip();
        if (!kind.equals("ok") && !kind.equals("error")) {
            throw new IllegalArgumentException("expect must start with ok or error [" + column + "]");
        }
        Map<String, List<String>> items = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("expected key=value [" + parts[i] + "]");
            }
            items.computeIfAbsent(parts[i].substring(0, eq).strip(), k -> new ArrayList<>()).add(parts[i].substring(eq + 1));
        }
        if (kind.equals("error") && (!items.containsKey("line") || !items.containsKey("reason"))) {
            throw new IllegalArgumentException("an error expectation needs line= and reason= [" + column + "]");
        }
        if (kind.equals("ok") && items.isEmpty()) {
            throw new IllegalArgumentException("an ok expectation needs at least one value to check [" + column + "]");
        }
        return new Expectation(kind.equals("error"), items);
    }

    List<String> all(String key) {
        return items.getOrDefault(key, List.of());
    }

    String one(String key) {
        List<String> v = all(key);
        if (v.size() != 1) {
            throw new IllegalArgumentException("expected exactly one " + key + "= in " + items);
        }
        return v.get(0);
    }

    /** Asserts that the parse fails with the expected line and reason, and that the message names the command. */
    void assertFails(String command, Executable parse) {
        OutputFormatException e = assertThrows(OutputFormatException.class, parse);
        assertEquals(command, e.command());
        assertEquals(Integer.parseInt(one("line")), e.line(), () -> "line of: " + e.getMessage());
        String reason = one("reason");
        assertTrue(e.reason().contains(reason), () -> "reason [" + reason + "] not in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(command + ": "), e::getMessage);
    }
}
