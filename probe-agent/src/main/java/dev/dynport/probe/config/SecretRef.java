package dev.dynport.probe.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A secret named in the config, never written in it: {@code {"file": "/etc/dynport/icinga.pass"}} or
 * {@code {"env": "DYNPORT_ICINGA_PASSWORD"}}. Resolved once at start; {@link #toString()} is masked so no dump
 * or log shows the value.
 */
public final class SecretRef {
    private final String source;
    private final char[] value;

    private SecretRef(String source, char[] value) {
        this.source = source;
        this.value = value;
    }

    /** @param path the JSON path of {@code node}, for messages */
    public static SecretRef resolve(JsonNode node, String path, Map<String, String> env) throws ConfigException {
        if (node == null || !node.isObject()) {
            throw new ConfigException(path + " must be an object {\"file\": PATH} or {\"env\": NAME}");
        }
        JsonNode file = node.get("file");
        JsonNode var = node.get("env");
        if ((file == null) == (var == null)) {
            throw new ConfigException(path + " must have exactly one of \"file\" or \"env\"");
        }
        if (file != null) {
            String f = file.asText();
            try {
                String text = Files.readString(Path.of(f), StandardCharsets.UTF_8);
                String firstLine = text.lines().findFirst().orElse("");
                if (firstLine.isEmpty()) {
                    throw new ConfigException(path + "/file is empty [" + f + "]");
                }
                return new SecretRef("file " + f, firstLine.toCharArray());
            } catch (IOException | RuntimeException e) {
                throw new ConfigException(path + "/file cannot be read [" + f + "]");
            }
        }
        String name = var.asText();
        String v = env.get(name);
        if (v == null || v.isEmpty()) {
            throw new ConfigException(path + "/env names an unset or empty environment variable [" + name + "]");
        }
        return new SecretRef("env " + name, v.toCharArray());
    }

    public static SecretRef ofValue(String source, char[] value) {
        return new SecretRef(source, value.clone());
    }

    public char[] value() {
        return value.clone();
    }

    public String valueAsString() {
        return new String(value);
    }

    @Override
    public String toString() {
        return "<masked from " + source + ">";
    }
}
