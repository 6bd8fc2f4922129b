package dev.dynport.check.acquire;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a host printed: the raw bytes as received (kept so an operator can save and replay them) and the
 * decoded text of each section. A missing section is simply absent (the judge reports it). The bytes are not
 * copied on the reader's path: a snapshot may be a sizeable part of the check's small heap.
 */
public final class Snapshot {
    private final byte[] raw;
    private final Map<Section, String> sections;
    private final String origin;

    public Snapshot(byte[] raw, Map<Section, String> sections, String origin) {
        this(origin, raw.clone(), sections);
    }

    private Snapshot(String origin, byte[] owned, Map<Section, String> sections) {
        this.raw = owned;
        this.sections = sections.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new EnumMap<>(sections));
        this.origin = origin;
    }

    /** For {@link SnapshotReader}, which hands over an array nobody else holds. */
    static Snapshot owning(byte[] raw, Map<Section, String> sections, String origin) {
        return new Snapshot(origin, raw, sections);
    }

    public byte[] raw() {
        return raw.clone();
    }

    /**
     * The same sections without the raw bytes. The check judges this one, so that a large input's bytes can be
     * collected while its sections are parsed (the peak of a check's memory).
     */
    public Snapshot withoutRaw() {
        return new Snapshot(origin, new byte[0], sections);
    }

    /** Writes the bytes as received without copying them (what {@code --save-snapshot} stores). */
    public void writeRaw(OutputStream out) throws IOException {
        out.write(raw);
    }

    public Optional<String> section(Section section) {
        return Optional.ofNullable(sections.get(section));
    }

    public Map<Section, String> sections() {
        return sections;
    }

    /** Where the bytes came from, for messages: a file path, {@code local}, or {@code ssh://user@host:port}. */
    public String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "Snapshot[origin=" + origin + ", sections=" + sections.keySet() + ", bytes=" + raw.length + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Snapshot s && Arrays.equals(raw, s.raw) && sections.equals(s.sections) && origin.equals(s.origin);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw) * 31 + sections.hashCode();
    }
}
