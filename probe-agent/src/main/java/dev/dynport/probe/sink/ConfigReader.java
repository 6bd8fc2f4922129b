package dev.dynport.probe.sink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dynport.probe.config.ConfigException;
import dev.dynport.probe.config.SecretRef;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one config object field by field and collects every error (path-qualified, bad value in brackets)
 * instead of stopping at the first, so {@code --validate-config} reports them all at once.
 */
final class ConfigReader {
    private final List<String> errors = new ArrayList<>();
    private final Map<String, String> env;

    ConfigReader(Map<String, String> env) {
        this.env = env;
    }

    void error(String message) {
        errors.add(message);
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    int errorCount() {
        return errors.size();
    }

    void throwIfAny() throws ConfigException {
        if (!errors.isEmpty()) {
            throw new ConfigException(String.join(System.lineSeparator(), errors));
        }
    }

    /** Reports fields that no reader knows: a typo must not silently become a default. */
    void rejectUnknown(JsonNode obj, String path, Set<String> known) {
        for (Iterator<String> it = obj.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!known.contains(f)) {
                error(path + "/" + f + " is not a known field [" + f + "]; known: " + String.join(", ", known.stream()
                        .sorted().toList()));
            }
        }
    }

    private static String shown(JsonNode v) {
        return v.isTextual() ? v.asText() : v.toString();
    }

    /** @param def null when the field is required */
    String string(JsonNode obj, String path, String field, String def) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            if (def == null) {
                error(path + "/" + field + " is required");
            }
            return def;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            error(path + "/" + field + " must be a non-empty string [" + shown(v) + "]");
            return def;
        }
        return v.asText();
    }

    String optionalString(JsonNode obj, String path, String field) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        return string(obj, path, field, null);
    }

    String oneOf(JsonNode obj, String path, String field, String def, Set<String> allowed) {
        String s = string(obj, path, field, def);
        if (s != null && !allowed.contains(s)) {
            error(path + "/" + field + " must be one of " + String.join(", ", allowed.stream().sorted().toList())
                    + " [" + s + "]");
            return def;
        }
        return s;
    }

    long number(JsonNode obj, String path, String field, long def, long min, long max) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            error(String.format(Locale.ROOT, "%s/%s must be an integer from %d to %d [%s]", path, field, min, max,
                    shown(v)));
            return def;
        }
        return v.asLong();
    }

    boolean bool(JsonNode obj, String path, String field, boolean def) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isBoolean()) {
            error(path + "/" + field + " must be true or false [" + shown(v) + "]");
            return def;
        }
        return v.asBoolean();
    }

    /** An absolute http(s) URL; {@code httpsOnly} rejects plain http. */
    URI url(JsonNode obj, String path, String field, String def, boolean httpsOnly) {
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

    /** A path to an existing, readable regular file (or null when absent and optional). */
    Path readableFile(JsonNode obj, String path, String field, boolean required) {
        String s = required ? string(obj, path, field, null) : optionalString(obj, path, field);
        Path p = s == null ? null : toPath(path, field, s);
        if (p != null && (!Files.isRegularFile(p) || !Files.isReadable(p))) {
            error(path + "/" + field + " is not a readable file [" + s + "]");
            return null;
        }
        return p;
    }

    Path anyPath(JsonNode obj, String path, String field, String def) {
        String s = string(obj, path, field, def);
        return s == null ? null : toPath(path, field, s);
    }

    private Path toPath(String path, String field, String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            error(path + "/" + field + " is not a valid path [" + s + "]");
            return null;
        }
    }

    /** A {@link SecretRef}; its value never appears in a message. */
    SecretRef secret(JsonNode obj, String path, String field, boolean required) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                error(path + "/" + field + " is required ({\"file\": PATH} or {\"env\": NAME})");
            }
            return null;
        }
        try {
            return SecretRef.resolve(v, path + "/" + field, env);
        } catch (ConfigException e) {
            error(e.getMessage());
            return null;
        }
    }

    boolean has(JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        return v != null && !v.isNull();
    }
}
