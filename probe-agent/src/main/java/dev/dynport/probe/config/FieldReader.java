package dev.dynport.probe.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one field reader of the agent config, for the agent part and for {@code spool} and {@code sinks}. It collects
 * errors: each reader adds its path-qualified error (the bad value in brackets) and returns null (or the default) so
 * that parsing goes on and every error is reported at once.
 *
 * <p>Policy: a missing field takes its default (or is reported when required); a JSON {@code null} is a value like
 * any other, so for every field it is an error naming {@code [null]}, never a way to ask for the default. To get
 * the default, leave the field out. A value shown in brackets is the text itself for strings, JSON for numbers and
 * booleans (so {@code "2"} shows as a string), and "an object"/"an array" for structures, never their content.
 */
public final class FieldReader {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Map<String, String> env;
    private final List<String> errors = new ArrayList<>();

    /** @param env where {@code {"env": NAME}} secrets are looked up */
    public FieldReader(Map<String, String> env) {
        this.env = env;
    }

    public void error(String message) {
        errors.add(message);
    }

    public List<String> errors() {
        return errors;
    }

    public int errorCount() {
        return errors.size();
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Throws one exception listing every error, one per line, when there is any. */
    public void throwIfAny() throws ConfigException {
        if (!errors.isEmpty()) {
            throw new ConfigException(String.join("\n", errors));
        }
    }

    /** Reports fields that no reader knows, with the known ones: a typo must not silently become a default. */
    public void unknownFields(JsonNode node, String path, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                errors.add(path + "/" + f + " is not a known field [" + f + "]; known: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    /** Whether the field is present, a JSON null included (which its reader then refuses). */
    public boolean has(JsonNode obj, String field) {
        return obj.has(field);
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

    /** @param def null when the field is required */
    public String string(JsonNode obj, String path, String field, String def) {
        JsonNode v = obj.get(field);
        if (v == null) {
            if (def == null) {
                error(path + "/" + field + " is required");
            }
            return def;
        }
        String s = text(v, path + "/" + field);
        return s == null ? def : s;
    }

    public String optionalString(JsonNode obj, String path, String field) {
        JsonNode v = obj.get(field);
        return v == null ? null : text(v, path + "/" + field);
    }

    public String oneOf(JsonNode obj, String path, String field, String def, Set<String> allowed) {
        String s = string(obj, path, field, def);
        if (s != null && !allowed.contains(s)) {
            error(path + "/" + field + " must be one of " + String.join(", ", allowed.stream().sorted().toList())
                    + " [" + s + "]");
            return def;
        }
        return s;
    }

    /** An absolute http(s) URL; {@code httpsOnly} rejects plain http. */
    public URI url(JsonNode obj, String path, String field, String def, boolean httpsOnly) {
        String s = string(obj, path, field, def);
        if (s == null) {
            return null;
        }
        try {
            URI u = new URI(s);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            boolean ok = u.isAbsolute() && u.getHost() != null
                    && (scheme.equals("https") || (!httpsOnly && scheme.equals("http")));
            if (!ok) {
                error(path + "/" + field + " must be an absolute " + (httpsOnly ? "https" : "http(s)") + " URL [" + s
                        + "]");
                return null;
            }
            return u;
        } catch (URISyntaxException e) {
            error(path + "/" + field + " is not a valid URL [" + s + "]");
            return null;
        }
    }

    /** A readable regular file named by the field; null when absent and optional. */
    public Path readableFile(JsonNode obj, String path, String field, boolean required) {
        JsonNode v = obj.get(field);
        if (v == null) {
            if (required) {
                error(path + "/" + field + " is required");
            }
            return null;
        }
        return readableFile(v, path + "/" + field);
    }

    /** Any path (it need not exist yet). */
    public Path anyPath(JsonNode obj, String path, String field, String def) {
        JsonNode v = obj.get(field);
        if (v == null) {
            if (def == null) {
                error(path + "/" + field + " is required");
                return null;
            }
            return Path.of(def);
        }
        return path(v, path + "/" + field);
    }

    Path path(JsonNode node, String path) {
        String v = text(node, path);
        if (v == null) {
            return null;
        }
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            errors.add(path + " is not a valid path [" + v + "]");
            return null;
        }
    }

    public Path readableFile(JsonNode node, String path) {
        Path p = path(node, path);
        if (p != null && !(Files.isRegularFile(p) && Files.isReadable(p))) {
            errors.add(path + " cannot be read [" + p + "]");
            return null;
        }
        return p;
    }

    /** An optional {@link SecretRef}; its value never appears in a message. */
    public SecretRef secret(JsonNode parent, String path, String field) {
        return secret(parent, path, field, false);
    }

    public SecretRef secret(JsonNode parent, String path, String field, boolean required) {
        JsonNode n = parent.get(field);
        if (n == null) {
            if (required) {
                errors.add(path + "/" + field + " is required ({\"file\": PATH} or {\"env\": NAME})");
            }
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
        return (int) number(parent, path, field, dflt, min, max);
    }

    public long number(JsonNode parent, String path, String field, long dflt, long min, long max) {
        JsonNode n = parent.get(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
            errors.add(path + "/" + field + " must be a whole number from " + min + " to " + max + " [" + json(n)
                    + "]");
            return dflt;
        }
        return n.asLong();
    }

    public boolean bool(JsonNode parent, String path, String field, boolean dflt) {
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
    public static String json(JsonNode node) {
        return node.isValueNode() ? node.toString() : shown(node);
    }

    /** A value as the user wrote it, for the brackets; objects and arrays are shortened, never dumped. */
    public static String shown(JsonNode node) {
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
