package dev.dynport.probe.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The typed field readers of the agent config, collecting errors: each reader adds its path-qualified error (bad
 * value in brackets) and returns null (or the default) so that parsing goes on and every error is reported at once.
 * A JSON {@code null} is a value like any other here (and so usually an error), not an absent field.
 */
final class FieldReader {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Map<String, String> env;
    private final List<String> errors = new ArrayList<>();

    /** @param env where {@code {"env": NAME}} secrets are looked up */
    FieldReader(Map<String, String> env) {
        this.env = env;
    }

    void error(String message) {
        errors.add(message);
    }

    List<String> errors() {
        return errors;
    }

    int errorCount() {
        return errors.size();
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    void unknownFields(JsonNode node, String path, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                errors.add(path + "/" + f + " is not a known field here [" + f + "]");
            }
        }
    }

    String name(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        if (!node.isTextual() || !NAME.matcher(node.asText()).matches()) {
            errors.add(path + " must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit ["
                    + shown(node) + "]");
            return null;
        }
        return node.asText();
    }

    String text(JsonNode node, String path) {
        if (!node.isTextual() || node.asText().isBlank()) {
            errors.add(path + " must be a non-empty string [" + shown(node) + "]");
            return null;
        }
        return node.asText();
    }

    String requiredText(JsonNode parent, String path, String field) {
        JsonNode n = parent.get(field);
        if (n == null) {
            errors.add(path + "/" + field + " is required");
            return null;
        }
        return text(n, path + "/" + field);
    }

    Path path(JsonNode node, String path) {
        String v = text(node, path);
        if (v == null) {
            return null;
        }
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            errors.add(path + " is not a valid file path [" + v + "]");
            return null;
        }
    }

    Path readableFile(JsonNode node, String path) {
        Path p = path(node, path);
        if (p != null && !(Files.isRegularFile(p) && Files.isReadable(p))) {
            errors.add(path + " cannot be read [" + p + "]");
            return null;
        }
        return p;
    }

    SecretRef secret(JsonNode parent, String path, String field) {
        JsonNode n = parent.get(field);
        if (n == null) {
            return null;
        }
        try {
            return SecretRef.resolve(n, path + "/" + field, env);
        } catch (ConfigException e) {
            errors.add(e.getMessage());
            return null;
        }
    }

    Integer portNumber(JsonNode node, String path, int min) {
        if (!node.isIntegralNumber() || node.asLong() < min || node.asLong() > 65535) {
            errors.add(path + " must be a port number from " + min + " to 65535 [" + json(node) + "]");
            return null;
        }
        return node.asInt();
    }

    int integer(JsonNode parent, String path, String field, int min, int max, int dflt) {
        JsonNode n = parent.get(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            errors.add(path + "/" + field + " must be a whole number from " + min + " to " + max + " [" + json(n)
                    + "]");
            return dflt;
        }
        return n.asInt();
    }

    boolean bool(JsonNode parent, String path, String field, boolean dflt) {
        JsonNode n = parent.get(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            errors.add(path + "/" + field + " must be true or false [" + json(n) + "]");
            return dflt;
        }
        return n.asBoolean();
    }

    /** Returns null after an error, so that dependent checks (jitter below interval) are skipped. */
    Duration duration(JsonNode parent, String path, String field, Duration dflt, boolean zeroAllowed) {
        JsonNode n = parent.get(field);
        if (n == null) {
            return dflt;
        }
        Duration d = n.isTextual() ? Durations.parse(n.asText()).orElse(null) : null;
        if (d == null) {
            errors.add(path + "/" + field + " must be a duration like 60s or 5m [" + shown(n) + "]");
            return null;
        }
        if (d.isZero() && !zeroAllowed) {
            errors.add(path + "/" + field + " must be longer than 0s [" + n.asText() + "]");
            return null;
        }
        return d;
    }

    /** A value where a number or boolean belongs, in JSON form, so that {@code "2"} shows as a string. */
    static String json(JsonNode node) {
        return node.isValueNode() ? node.toString() : shown(node);
    }

    /** A value as the user wrote it, for the brackets; objects and arrays are shortened, never dumped. */
    static String shown(JsonNode node) {
        if (node == null) {
            return "nothing";
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        return node.toString();
    }
}
