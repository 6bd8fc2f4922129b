package dev.dynport.probe.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code DIR/cursors/SINK.cursor}: per sink the next sequence number to deliver, 20 bytes (see {@link SpoolFormat}),
 * replaced by temp file + forced atomic rename. A corrupt file is quarantined and remembered, so the spool can
 * restart that sink at the oldest record (duplicates rather than losses).
 */
final class CursorStore {
    static final int MAGIC = 0x44504355;
    static final int BYTES = 20;

    private final Path dir;
    private final Quarantine quarantine;
    private final Set<String> corrupt = new HashSet<>();

    CursorStore(Path dir, Quarantine quarantine) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.quarantine = quarantine;
    }

    /** The stored cursor, or null when there is none (new sink) or it was corrupt (see {@link #wasCorrupt}). */
    Long read(String sink) throws IOException {
        Path file = dir.resolve(sink + ".cursor");
        if (!Files.exists(file)) {
            return null;
        }
        byte[] b = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(b);
        if (b.length != BYTES || buf.getInt(0) != MAGIC || buf.getInt(4) != SpoolFormat.VERSION
                || SpoolIo.crc(b, 0, 16) != buf.getInt(16)) {
            quarantine.file(file, "corrupt cursor file for sink [" + sink + "] (" + b.length
                    + " bytes); the sink restarts at the oldest retained record");
            corrupt.add(sink);
            return null;
        }
        return buf.getLong(8);
    }

    boolean wasCorrupt(String sink) {
        return corrupt.contains(sink);
    }

    void write(String sink, long next) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(BYTES);
        b.putInt(MAGIC).putInt(SpoolFormat.VERSION).putLong(next);
        b.putInt(SpoolIo.crc(b.array(), 0, 16));
        b.flip();
        SpoolIo.replace(dir.resolve(sink + ".cursor"), b);
    }
}
