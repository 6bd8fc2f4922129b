package dev.dynport.probe.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dynport.check.acquire.SshKeyFiles;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A secret named in the config, never written in it: {@code {"file": "/etc/dynport/icinga.pass"}} or
 * {@code {"env": "DYNPORT_ICINGA_PASSWORD"}}. Resolved once at start; {@link #toString()} is masked so no dump
 * or log shows the value.
 *
 * <p>A secret file is its first line, UTF-8, from a regular file of at most {@link #MAX_FILE_BYTES}: a device
 * ({@code /dev/zero}) or a FIFO is refused before it is opened, so neither fills the heap nor hangs
 * {@code --validate-config}. Messages name the JSON path, the file and its size, never its content; an unknown key
 * is named but its value is not shown (it may be the secret, written in the wrong place).
 */
public final class SecretRef {
    /** Passwords, tokens and HMAC keys are short; a secret file this large is the wrong file. */
    public static final int MAX_FILE_BYTES = SshKeyFiles.MAX_FILE_BYTES;
    private static final Set<String> KEYS = Set.of("file", "env");

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
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (!KEYS.contains(key)) {
                throw new ConfigException(path + "/" + key + " is not a field of a secret; use {\"file\": PATH} or"
                        + " {\"env\": NAME} [" + key + "]");
            }
        }
        JsonNode file = node.get("file");
        JsonNode var = node.get("env");
        if ((file == null) == (var == null)) {
            throw new ConfigException(path + " must have exactly one of \"file\" or \"env\"");
        }
        if (file != null) {
            if (!file.isTextual() || file.asText().isEmpty()) {
                throw new ConfigException(path + "/file must be a file name");
            }
            return fromFile(file.asText(), path + "/file");
        }
        if (!var.isTextual() || var.asText().isEmpty()) {
            throw new ConfigException(path + "/env must be the name of an environment variable");
        }
        String name = var.asText();
        String v = env.get(name);
        if (v == null || v.isEmpty()) {
            throw new ConfigException(path + "/env names an unset or empty environment variable [" + name + "]");
        }
        return new SecretRef("env " + name, v.toCharArray());
    }

    private static SecretRef fromFile(String f, String path) throws ConfigException {
        byte[] bytes = null;
        try {
            bytes = SshKeyFiles.readSmall(Path.of(f));
            char[] firstLine = firstLine(bytes);
            if (firstLine == null) {
                throw new ConfigException(path + " is not UTF-8 text [" + f + "]");
            }
            if (firstLine.length == 0) {
                throw new ConfigException(path + " is empty [" + f + "]");
            }
            return new SecretRef("file " + f, firstLine);
        } catch (SshKeyFiles.Problem p) {
            throw new ConfigException(path + " " + p.getMessage() + " [" + f + "]");
        } catch (InvalidPathException e) {
            throw new ConfigException(path + " is not a file path [" + f + "]");
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /** The text up to the first CR or LF; null when the bytes are not UTF-8. */
    private static char[] firstLine(byte[] bytes) {
        java.nio.CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            return null;
        }
        int end = 0;
        while (end < chars.limit() && chars.get(end) != '\n' && chars.get(end) != '\r') {
            end++;
        }
        char[] line = new char[end];
        chars.get(line);
        Arrays.fill(chars.array(), '\0');
        return line;
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
