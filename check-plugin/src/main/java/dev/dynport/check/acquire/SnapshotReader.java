package dev.dynport.check.acquire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Splits a snapshot into its sections and decodes each.
 *
 * <pre>
 * #@section netsh-dynamicport-tcp-ipv4
 * (output of netsh int ipv4 show dynamicport tcp)
 * #@section netstat-ano
 * (output of netstat -ano)
 * ...
 * </pre>
 *
 * Decoding: a UTF-8 BOM means UTF-8; a UTF-16LE/BE BOM (what PowerShell 5.1 {@code >} writes) or a UTF-16LE
 * text without BOM (NUL in every odd byte) means UTF-16 for the whole file. Otherwise each section is decoded
 * on its own: as UTF-8 when its bytes are valid UTF-8 (after {@code chcp 65001}), else in the OEM code page
 * given (the console's, IBM850 by default), because different programs on one host may print in different
 * code pages. Marker lines are ASCII and cannot occur inside a DBCS character, so splitting on bytes is safe.
 * Unknown sections are ignored; when a section appears twice, the first one counts.
 */
public final class SnapshotReader {
    private static final byte[] MARKER = Section.MARKER_PREFIX.getBytes(StandardCharsets.US_ASCII);

    private SnapshotReader() {
    }

    public static Snapshot read(byte[] raw, Charset oemFallback, String origin) throws AcquisitionException {
        Map<Section, String> sections = new EnumMap<>(Section.class);
        int markers;
        Charset whole = wholeFileCharset(raw);
        if (whole != null) {
            String text = new String(raw, bomLength(raw), raw.length - bomLength(raw), whole);
            markers = splitText(text, sections);
        } else {
            markers = splitBytes(raw, bomLength(raw), oemFallback, sections);
        }
        if (markers == 0) {
            throw new AcquisitionException(AcquisitionException.Failure.INPUT_UNREADABLE,
                    "not a dynport snapshot: no '" + Section.MARKER_PREFIX.strip() + " NAME' marker line in "
                            + origin + " (" + raw.length + " bytes)");
        }
        return new Snapshot(raw, sections, origin);
    }

    private static Charset wholeFileCharset(byte[] raw) {
        if (raw.length >= 2 && (raw[0] & 0xFF) == 0xFF && (raw[1] & 0xFF) == 0xFE) {
            return StandardCharsets.UTF_16LE;
        }
        if (raw.length >= 2 && (raw[0] & 0xFF) == 0xFE && (raw[1] & 0xFF) == 0xFF) {
            return StandardCharsets.UTF_16BE;
        }
        if (raw.length >= 4 && raw[0] != 0 && raw[1] == 0 && raw[2] != 0 && raw[3] == 0) {
            return StandardCharsets.UTF_16LE;
        }
        return null;
    }

    private static int bomLength(byte[] raw) {
        if (raw.length >= 3 && (raw[0] & 0xFF) == 0xEF && (raw[1] & 0xFF) == 0xBB && (raw[2] & 0xFF) == 0xBF) {
            return 3;
        }
        if (wholeFileCharset(raw) != null && raw.length >= 2 && ((raw[0] & 0xFF) == 0xFF || (raw[0] & 0xFF) == 0xFE)) {
            return 2;
        }
        return 0;
    }

    private static int splitText(String text, Map<Section, String> sections) {
        int markers = 0;
        Section current = null;
        boolean ignoring = true;
        StringBuilder body = new StringBuilder();
        String[] lines = text.split("\n", -1);
        // The text after the last line end is a line only when it is not empty: the byte path keeps the
        // section bytes exactly, and this path must give the same text.
        int count = lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        for (int i = 0; i < count; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (trimmed.startsWith(Section.MARKER_PREFIX.strip() + " ") || trimmed.equals(Section.MARKER_PREFIX.strip())) {
                if (!ignoring && current != null) {
                    sections.putIfAbsent(current, body.toString());
                }
                markers++;
                String name = trimmed.substring(Section.MARKER_PREFIX.strip().length()).strip();
                current = Section.byName(name).orElse(null);
                ignoring = current == null;
                body.setLength(0);
                continue;
            }
            if (!ignoring) {
                body.append(line);
                if (i < lines.length - 1) {
                    body.append('\n');
                }
            }
        }
        if (!ignoring && current != null) {
            sections.putIfAbsent(current, body.toString());
        }
        return markers;
    }

    private static int splitBytes(byte[] raw, int from, Charset oemFallback, Map<Section, String> sections) {
        int markers = 0;
        Section current = null;
        int bodyStart = -1;
        int lineStart = from;
        while (lineStart <= raw.length) {
            int lineEnd = indexOf(raw, (byte) '\n', lineStart);
            int next = lineEnd < 0 ? raw.length + 1 : lineEnd + 1;
            int contentEnd = lineEnd < 0 ? raw.length : lineEnd;
            int s = lineStart;
            while (s < contentEnd && (raw[s] == ' ' || raw[s] == '\t')) {
                s++;
            }
            if (startsWith(raw, s, contentEnd, MARKER)) {
                if (current != null) {
                    sections.putIfAbsent(current, decode(raw, bodyStart, lineStart, oemFallback));
                }
                markers++;
                String name = new String(raw, s + MARKER.length, contentEnd - s - MARKER.length, StandardCharsets.US_ASCII).strip();
                current = Section.byName(name).orElse(null);
                bodyStart = next;
            }
            lineStart = next;
        }
        if (current != null) {
            sections.putIfAbsent(current, decode(raw, Math.min(bodyStart, raw.length), raw.length, oemFallback));
        }
        return markers;
    }

    private static boolean startsWith(byte[] raw, int at, int end, byte[] prefix) {
        return end - at >= prefix.length && Arrays.equals(raw, at, at + prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] raw, byte b, int from) {
        for (int i = from; i < raw.length; i++) {
            if (raw[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String decode(byte[] raw, int from, int to, Charset oemFallback) {
        ByteBuffer bytes = ByteBuffer.wrap(raw, from, Math.max(0, to - from));
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(raw, from, Math.max(0, to - from), oemFallback);
        }
    }
}
