package dev.dynport.check.acquire;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a host printed: the raw bytes as received (kept so an operator can save and replay them) and the
 * decoded text of each known section. Unknown sections are ignored; a missing section is simply absent.
 */
public final class Snapshot {
    private final byte[] raw;
    private final Map<Section, String> sections;
    private final String origin;

    public Snapshot(byte[] raw, Map<Section, String> sections, String origin) {
        this.raw = raw.clone();
        this.sections = sections.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new EnumMap<>(sections));
        this.origin = origin;
    }

    public byte[] raw() {
        return raw.clone();
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
