package dev.dynport.probe.spool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * {@code DIR/cursors/SINK.cursor}: per sink the next sequence number to deliver, 20 bytes (see {@link SpoolFormat}),
 * replaced by temp file + forced atomic rename. A corrupt file is quarantined and remembered, so the spool can
 * restart that sink at the oldest record (duplicates rather than losses).
 *
 * <p>{@link #save} never throws: the spool's cursor in memory is authoritative, and a file that cannot be written
 * (disk full) is remembered, reported by {@link #problem} and retried by {@link #retry}. Logged once when the first
 * file fails and once when the last is saved again, not per event.
 */
final class CursorStore {
    private static final Logger LOG = Logger.getLogger(CursorStore.class.getName());
    static final int MAGIC = 0x44504355;
    static final int BYTES = 20;

    private final Path dir;
    private final SpoolIo io;
    private final Quarantine quarantine;
    private final Clock clock;
    private final Set<String> corrupt = new HashSet<>();
    /** Sinks whose file is older than their cursor, with the failure; empty while all are saved. */
    private final Map<String, String> unsaved = new LinkedHashMap<>();
    private Instant unsavedSince;

    CursorStore(Path dir, SpoolIo io, Quarantine quarantine, Clock clock) {
        this.dir = dir;
        this.io = io;
        this.quarantine = quarantine;
        this.clock = clock;
    }

    Path file(String sink) {
        return dir.resolve(sink + ".cursor");
    }

    /**
     * The stored cursors of {@code sinks} in their order, null for none (new sink) or corrupt (see
     * {@link #wasCorrupt}). A checksum only proves a file was written whole, not that its number is right: a cursor
     * past {@code lastUsed + 1} would silently skip everything owed to the sink, so it counts as corrupt.
     */
    Map<String, Long> readAll(Collection<String> sinks, long lastUsed) throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String sink : sinks) {
            Long c = read(sink);
            if (c != null && (c < 1 || c > lastUsed + 1)) {
                markCorrupt(sink, String.format(Locale.ROOT,
                        "cursor file for sink [%s] points at sequence %d, but the last sequence written is %d", sink, c,
                        lastUsed));
                c = null;
            }
            out.put(sink, c);
        }
        return out;
    }

    /** The stored cursor, or null when there is none (new sink) or it was corrupt (see {@link #wasCorrupt}). */
    private Long read(String sink) throws IOException {
        Path file = file(sink);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        // read at most one byte more than a cursor has: a directory, FIFO or huge file is simply not a cursor
        byte[] b = new byte[0];
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            try (InputStream in = Files.newInputStream(file)) {
                b = in.readNBytes(BYTES + 1);
            }
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        if (b.length != BYTES || buf.getInt(0) != MAGIC || buf.getInt(4) != SpoolFormat.VERSION
                || SpoolIo.crc(b, 0, 16) != buf.getInt(16)) {
            markCorrupt(sink, "corrupt cursor file for sink [" + sink + "] (" + describeSize(file, b.length) + ")");
            return null;
        }
        return buf.getLong(8);
    }

    private static String describeSize(Path file, int read) {
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                ? (read > BYTES ? "more than " + BYTES : Integer.toString(read)) + " bytes"
                : "not a regular file";
    }

    /** Quarantines the cursor file of {@code sink}; the spool restarts that sink at the oldest retained record. */
    void markCorrupt(String sink, String reason) {
        quarantine.file(file(sink), reason + "; the sink restarts at the oldest retained record");
        corrupt.add(sink);
    }

    boolean wasCorrupt(String sink) {
        return corrupt.contains(sink);
    }

    void save(String sink, long next) {
        try {
            write(sink, next);
            if (unsaved.remove(sink) != null && unsaved.isEmpty()) {
                Instant since = unsavedSince;
                unsavedSince = null;
                LOG.info(() -> "spool: cursor files saved again (unsaved since " + since + ")");
            }
        } catch (IOException e) {
            if (unsaved.isEmpty()) {
                unsavedSince = clock.instant().truncatedTo(ChronoUnit.SECONDS);
                LOG.warning(() -> "spool cannot save the cursor file of sink [" + sink + "] ("
                        + SpoolIo.describe(e) + "): delivery goes on with the cursor in memory and the file is"
                        + " retried; until it is saved a restart sends again what was delivered since " + unsavedSince);
            }
            unsaved.put(sink, SpoolIo.describe(e));
        }
    }

    /** Saves again every file that failed, from {@code cursors} (sink to next sequence). */
    void retry(Map<String, Long> cursors) {
        for (String sink : new ArrayList<>(unsaved.keySet())) {
            save(sink, cursors.get(sink));
        }
    }

    Optional<Spool.CursorProblem> problem() {
        if (unsaved.isEmpty()) {
            return Optional.empty();
        }
        String last = new ArrayList<>(unsaved.values()).get(unsaved.size() - 1);
        return Optional.of(new Spool.CursorProblem(List.copyOf(unsaved.keySet()), last, unsavedSince));
    }

    private void write(String sink, long next) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(BYTES);
        b.putInt(MAGIC).putInt(SpoolFormat.VERSION).putLong(next);
        b.putInt(SpoolIo.crc(b.array(), 0, 16));
        b.flip();
        io.createDirectories(dir);
        io.replace(file(sink), b);
    }
}
