package dev.dynport.check.acquire;

import dev.dynport.check.util.TextSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a host printed: the raw bytes as received (kept so an operator can save and replay them) and the
 * decoded text of each section. A missing section is simply absent (the judge reports it). The bytes are not
 * copied on the reader's path: a snapshot may be a sizeable part of the check's small heap.
 *
 * <p>A snapshot read from a file ({@link SnapshotFileScan}) holds neither the bytes nor the netstat text: its raw
 * bytes are the file, and its netstat section is read from the file each time {@link #text} is opened. SSH and
 * {@code --local} output is held (bounded by {@link InputBudget}).
 */
public final class Snapshot {
    private final byte[] raw;
    private final Map<Section, String> sections;
    private final Map<Section, TextSource> streamed;
    private final SnapshotFileScan.Backing backing;
    private final String origin;

    public Snapshot(byte[] raw, Map<Section, String> sections, String origin) {
        this(origin, raw.clone(), sections, Map.of(), null);
    }

    private Snapshot(String origin, byte[] owned, Map<Section, String> sections, Map<Section, TextSource> streamed,
            SnapshotFileScan.Backing backing) {
        this.raw = owned;
        this.sections = sections.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new EnumMap<>(sections));
        this.streamed = streamed.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(streamed));
        this.backing = backing;
        this.origin = origin;
    }

    /** For {@link SnapshotReader}, which hands over an array nobody else holds. */
    static Snapshot owning(byte[] raw, Map<Section, String> sections, String origin) {
        return new Snapshot(origin, raw, sections, Map.of(), null);
    }

    /** For {@link SnapshotFileScan}: the file is the raw bytes; {@code streamed} sections are read from it. */
    static Snapshot backedBy(SnapshotFileScan.Backing backing, Map<Section, String> sections,
            Map<Section, TextSource> streamed, String origin) {
        return new Snapshot(origin, new byte[0], sections, streamed, backing);
    }

    /**
     * A copy of the bytes; for a file-backed snapshot, the file read whole (tests and small files only).
     *
     * @throws UncheckedIOException when the file cannot be read again or changed since it was scanned
     */
    public byte[] raw() {
        if (backing == null) {
            return raw.clone();
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            backing.copyTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The same sections without the raw bytes. The check judges this one, so that a large input's bytes can be
     * collected while its sections are parsed (the peak of a check's memory). A file-backed snapshot holds no
     * bytes: it is returned as it is.
     */
    public Snapshot withoutRaw() {
        return backing != null ? this : new Snapshot(origin, new byte[0], sections, streamed, null);
    }

    /**
     * Writes the bytes as received without copying them (what {@code --save-snapshot} stores); for a file-backed
     * snapshot, the file's bytes as scanned (refused with an IOException if it changed since).
     */
    public void writeRaw(OutputStream out) throws IOException {
        if (backing != null) {
            backing.copyTo(out);
        } else {
            out.write(raw);
        }
    }

    /**
     * The section's text. A streamed section (the netstat section of a snapshot file) is read whole here: the
     * judge reads it through {@link #text} instead.
     *
     * @throws UncheckedIOException when a streamed section cannot be read again
     */
    public Optional<String> section(Section section) {
        String held = sections.get(section);
        if (held != null) {
            return Optional.of(held);
        }
        TextSource source = streamed.get(section);
        if (source == null) {
            return Optional.empty();
        }
        try (Reader reader = source.open()) {
            StringBuilder sb = new StringBuilder();
            reader.transferTo(new java.io.Writer() {
                @Override
                public void write(char[] buffer, int off, int len) {
                    sb.append(buffer, off, len);
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            });
            return Optional.of(sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The section as text to read from the start, held or streamed, without copying it. */
    public Optional<TextSource> text(Section section) {
        String held = sections.get(section);
        return held != null ? Optional.of(TextSource.of(held)) : Optional.ofNullable(streamed.get(section));
    }

    /** Whether the snapshot has the section, without reading it. */
    public boolean has(Section section) {
        return sections.containsKey(section) || streamed.containsKey(section);
    }

    /** Every section's text; streamed sections are read whole (tests and small inputs). */
    public Map<Section, String> sections() {
        if (streamed.isEmpty()) {
            return sections;
        }
        Map<Section, String> all = new EnumMap<>(Section.class);
        all.putAll(sections);
        streamed.keySet().forEach(s -> all.put(s, section(s).orElseThrow()));
        return Collections.unmodifiableMap(all);
    }

    /** Where the bytes came from, for messages: a file path, {@code local}, or {@code ssh://user@host:port}. */
    public String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "Snapshot[origin=" + origin + ", sections=" + sections.keySet() + ", streamed=" + streamed.keySet()
                + ", bytes=" + (backing != null ? backing.size : raw.length) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Snapshot s && Arrays.equals(raw(), s.raw()) && sections().equals(s.sections())
                && origin.equals(s.origin);
    }

    @Override
    public int hashCode() {
        return origin.hashCode();
    }
}
