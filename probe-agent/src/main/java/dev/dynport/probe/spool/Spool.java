package dev.dynport.probe.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A durable, append-only event spool with one read cursor per sink (at-least-once delivery). The on-disk format
 * (version {@value #VERSION}) is written down in {@code SpoolFormat}; the segment files are kept by
 * {@code SegmentLog}, the cursor files by {@code CursorStore}, corrupt bytes by {@code Quarantine}. This class holds
 * the public API, the cursors and the cap policy.
 *
 * <h2>Durability</h2>
 * <ul>
 *   <li>{@link #append} writes the record and calls {@code FileChannel.force} before it returns; the record's
 *       sequence number is one more than the last one ever used (sequence numbers survive restarts).</li>
 *   <li>Delivery is peek → send → {@link #advance}: the cursor file is replaced through a forced temp file and an
 *       atomic rename, so after a crash a sink at worst receives the last record again (never loses one). The
 *       cursor in memory is authoritative: when its file cannot be written (disk full) delivery goes on, the
 *       failure is logged once, reported by {@link #cursorProblem} and the write retried ({@link #saveCursors},
 *       every advance); a crash meanwhile re-sends what was delivered since the file was last saved.</li>
 *   <li>{@link #append} that cannot write throws {@link SpoolWriteException} and leaves no trace: the segment is
 *       truncated back, the sequence number is not used, the cap drops nothing. Opening writes nothing it cannot
 *       do without (the first segment is created by the first append, cursor files of new sinks are written
 *       best-effort), so a spool opens on a full disk.</li>
 *   <li>On open every segment is read and every record checked. A bad header moves the whole segment to
 *       {@code quarantine/}; a record with a bad CRC is quarantined and the next one tried; an implausible length
 *       or a truncated tail (a torn write after SIGKILL or power loss) quarantines the rest of the segment. The
 *       segment is then rewritten with its good records (temp file + rename), so earlier records are never lost
 *       and the same corruption is not reported twice. A corrupt cursor file is quarantined and its sink restarts
 *       at the oldest retained record (duplicates, not losses); so does a cursor file with a good checksum that
 *       points past the last sequence the segments prove was written. A segment file holding at most the start of
 *       its header (a stop between create and first write) is removed without quarantine; anything in
 *       {@code segments/} that is not a regular file is quarantined, named in the log, and the agent starts.</li>
 *   <li>Segments whose records every configured sink has consumed are deleted, except the newest one: with its
 *       name it keeps the last sequence number used across restarts. Cursor files of sinks no longer
 *       configured are ignored (left on disk) so they cannot pin the spool.</li>
 *   <li>Cap: at most {@code maxRecords} undelivered records and {@code maxBytes} of their on-disk bytes. An append
 *       that would exceed the cap first drops the oldest undelivered record(s): every sink whose cursor still
 *       points at a dropped record is moved past it and its drop counter increases; each drop is logged at
 *       WARNING. Nothing is dropped silently.</li>
 *   <li>A new sink (no cursor file) starts at the oldest record still owed to another configured sink (all
 *       retained records when there is none).</li>
 * </ul>
 * Every record is re-checked against its CRC when it is read for delivery; a mismatch there is quarantined too.
 * All methods are thread-safe (one monitor); {@link #awaitNext} and {@link #awaitDrained} block on it.
 */
public final class Spool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Spool.class.getName());

    public static final int VERSION = SpoolFormat.VERSION;
    /** The largest payload accepted; events are a few KiB. */
    public static final int MAX_PAYLOAD_BYTES = SpoolFormat.MAX_PAYLOAD_BYTES;

    /**
     * @param maxBytes cap on the on-disk bytes of undelivered records
     * @param maxRecords cap on the number of undelivered records
     * @param segmentBytes a new segment is started once the current one is at least this big
     */
    public record Options(Path dir, long maxBytes, long maxRecords, long segmentBytes) {
        public Options {
            if (maxBytes < SpoolFormat.RECORD_OVERHEAD + 1 || maxRecords < 1
                    || segmentBytes < SpoolFormat.HEADER_BYTES + SpoolFormat.RECORD_OVERHEAD) {
                throw new IllegalArgumentException("spool limits too small (maxBytes=" + maxBytes
                        + ", maxRecords=" + maxRecords + ", segmentBytes=" + segmentBytes + ")");
            }
        }
    }

    /** One stored record as handed to a sink. */
    public record Entry(long seq, byte[] payload) {
    }

    /** Cursor files that could not be written: which sinks, the last OS message, since when. */
    public record CursorProblem(List<String> sinks, String reason, Instant since) {
    }

    private final Options options;
    private final SpoolIo io;
    private final Clock clock;
    private final Path segmentDir;
    private final Path quarantineDir;
    private Quarantine quarantine;
    private CursorStore cursorStore;
    private SegmentLog log;
    private final FileLock lock;
    private final Map<String, Long> cursors = new LinkedHashMap<>();
    private final Map<String, Long> dropped = new HashMap<>();
    private long nextSeq = 1;
    private long appended;
    private boolean closed;

    private Spool(Options options, SpoolIo io, Clock clock, FileLock lock) {
        this.options = options;
        this.io = io;
        this.clock = clock;
        this.segmentDir = options.dir().resolve("segments");
        this.quarantineDir = options.dir().resolve("quarantine");
        this.lock = lock;
    }

    /**
     * Opens (or creates) the spool, checks every segment and loads the cursors of {@code sinkNames}.
     *
     * @throws IOException when the directory cannot be used or another process holds the spool
     */
    public static Spool open(Options options, Collection<String> sinkNames) throws IOException {
        return open(options, sinkNames, SpoolIo.REAL, Clock.systemUTC());
    }

    /**
     * @param io the file operations that need space; tests pass one that fails like a full disk
     * @param clock for the "since" of {@link #cursorProblem}
     */
    public static Spool open(Options options, Collection<String> sinkNames, SpoolIo io, Clock clock)
            throws IOException {
        Spool spool = new Spool(options, io, clock, io.lock(options.dir()));
        try {
            spool.recover(sinkNames);
            return spool;
        } catch (IOException | RuntimeException e) {
            spool.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------- recovery

    private void recover(Collection<String> sinkNames) throws IOException {
        quarantine = new Quarantine(quarantineDir, io);
        cursorStore = new CursorStore(options.dir().resolve("cursors"), io, quarantine, clock);
        log = new SegmentLog(segmentDir, io, quarantine);
        long lastUsed = log.load();
        nextSeq = lastUsed + 1;
        Map<String, Long> loaded = cursorStore.readAll(sinkNames, lastUsed);
        // a sink whose cursor was corrupt restarts at the oldest record on disk (duplicates, not losses);
        // a new sink at the oldest record still owed to a known sink (or the oldest on disk if none is known)
        long oldestOnDisk = log.isEmpty() ? nextSeq : log.oldest();
        long oldestOwed = loaded.values().stream().filter(c -> c != null).mapToLong(Long::longValue).min()
                .orElse(oldestOnDisk);
        Long firstOwed = log.ceiling(oldestOwed);
        long newSinkStart = firstOwed == null ? nextSeq : firstOwed;
        for (Map.Entry<String, Long> e : loaded.entrySet()) {
            boolean fresh = e.getValue() == null;
            long cursor = !fresh ? e.getValue() : cursorStore.wasCorrupt(e.getKey()) ? oldestOnDisk : newSinkStart;
            cursors.put(e.getKey(), cursor);
            if (fresh) {
                saveCursor(e.getKey());
            }
        }
        prune();
        LOG.info(() -> String.format(Locale.ROOT,
                "spool opened at %s: %d undelivered records (%d bytes), next sequence %d", options.dir(), log.size(),
                log.bytes(), nextSeq));
    }

    // ---------------------------------------------------------------- append

    /** Refuses a payload the spool would never take (so that nobody holds it for later either). */
    public void checkPayload(byte[] payload) throws IOException {
        if (payload.length > MAX_PAYLOAD_BYTES || payload.length + SpoolFormat.RECORD_OVERHEAD > options.maxBytes()) {
            throw new IOException("event too large for the spool (" + payload.length + " bytes, max "
                    + Math.min(MAX_PAYLOAD_BYTES, options.maxBytes() - SpoolFormat.RECORD_OVERHEAD) + ")");
        }
    }

    /**
     * Writes one record and forces it to disk; returns its sequence number.
     *
     * @throws SpoolWriteException when it cannot be written (disk full, I/O error); nothing changed
     * @throws IOException when the payload is refused ({@link #checkPayload}) or the spool is closed
     */
    public synchronized long append(byte[] payload) throws IOException {
        ensureOpen();
        checkPayload(payload);
        long seq = nextSeq;
        try {
            log.append(seq, payload, options.segmentBytes());
        } catch (IOException e) {
            throw new SpoolWriteException(options.dir(), e);
        }
        nextSeq = seq + 1;
        appended++;
        enforceCap(seq);
        notifyAll();
        return seq;
    }

    /** After the write, so that an append that fails (and is retried) drops nothing. */
    private void enforceCap(long newest) throws IOException {
        Map<String, long[]> dropsBySink = new LinkedHashMap<>(); // sink -> {count, firstSeq, lastSeq}
        while ((log.size() > options.maxRecords() || log.bytes() > options.maxBytes()) && log.oldest() != newest) {
            long seq = log.oldest();
            for (Map.Entry<String, Long> c : cursors.entrySet()) {
                if (c.getValue() <= seq) {
                    c.setValue(seq + 1);
                    dropped.merge(c.getKey(), 1L, Long::sum);
                    long[] d = dropsBySink.computeIfAbsent(c.getKey(), k -> new long[] {0, seq, seq});
                    d[0]++;
                    d[2] = seq;
                }
            }
            log.dropOldest();
        }
        for (Map.Entry<String, long[]> d : dropsBySink.entrySet()) {
            saveCursor(d.getKey());
            long[] v = d.getValue();
            LOG.warning(String.format(Locale.ROOT,
                    "spool full (records=%d/%d, bytes=%d/%d): dropped %d oldest undelivered event(s) for sink [%s] "
                            + "(sequence %d..%d); %d dropped for this sink since start",
                    log.size(), options.maxRecords(), log.bytes(), options.maxBytes(), v[0], d.getKey(), v[1], v[2],
                    dropped.get(d.getKey())));
        }
        if (!dropsBySink.isEmpty()) {
            prune();
        }
    }

    // ---------------------------------------------------------------- read side

    /** The next record for {@code sink}, if any; never blocks. Records failing their CRC here are quarantined. */
    public synchronized Optional<Entry> peek(String sink) throws IOException {
        ensureOpen();
        return log.next(cursorOf(sink));
    }

    /** Waits up to {@code timeoutNanos} for a record for {@code sink}; empty on timeout or close. */
    public synchronized Optional<Entry> awaitNext(String sink, long timeoutNanos)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!closed) {
            Optional<Entry> e = peek(sink);
            long left = deadline - System.nanoTime();
            if (e.isPresent() || left <= 0) {
                return e;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return Optional.empty();
    }

    /**
     * Moves {@code sink}'s cursor past {@code seq} (never backwards) and tries to record it durably. A cursor file
     * that cannot be written does not fail the call (see {@link #cursorProblem}): the record was delivered, and
     * refusing to move on would only send it again and again.
     *
     * @throws IOException when the spool is closed, or consumed segments cannot be deleted
     */
    public synchronized void advance(String sink, long seq) throws IOException {
        ensureOpen();
        long cursor = cursorOf(sink);
        if (seq < cursor) {
            return; // already dropped or advanced past it
        }
        cursors.put(sink, seq + 1);
        saveCursor(sink);
        prune();
        notifyAll();
    }

    /** Moves {@code sink}'s cursor past a record whose payload cannot be decoded, counting it as quarantined. */
    public synchronized void quarantinePayload(String sink, Entry entry, String reason) throws IOException {
        quarantine.payload(entry.seq(), sink, entry.payload(), reason);
        advance(sink, entry.seq());
    }

    /** Retries the cursor files that could not be written; true when every one is saved. */
    public synchronized boolean saveCursors() {
        if (!closed) {
            cursorStore.retry(cursors);
        }
        return cursorStore.problem().isEmpty();
    }

    /** Which cursor files are older than the cursors in memory, and why; empty while all are saved. */
    public synchronized Optional<CursorProblem> cursorProblem() {
        return cursorStore.problem();
    }

    private void saveCursor(String sink) {
        cursorStore.save(sink, cursors.get(sink));
    }

    /** Waits until every sink's cursor is past the last record; false on timeout. */
    public synchronized boolean awaitDrained(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            boolean drained = cursors.values().stream().allMatch(c -> log.ceiling(c) == null);
            long left = deadline - System.nanoTime();
            if (drained || left <= 0 || closed) {
                return drained;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    // ---------------------------------------------------------------- figures

    public synchronized long depth(String sink) {
        return log.countFrom(cursorOf(sink));
    }

    public synchronized long depthBytes(String sink) {
        return log.bytesFrom(cursorOf(sink));
    }

    public synchronized long dropped(String sink) {
        return dropped.getOrDefault(sink, 0L);
    }

    /** Corrupt things moved to {@code quarantine/} since open: segments, record spans, cursor files. */
    public synchronized long quarantined() {
        return quarantine.count();
    }

    public synchronized long appended() {
        return appended;
    }

    public synchronized int segmentCount() {
        return log.segmentCount();
    }

    public synchronized long cursor(String sink) {
        return cursorOf(sink);
    }

    public Path directory() {
        return options.dir();
    }

    // ---------------------------------------------------------------- internals

    private Long cursorOf(String sink) {
        Long c = cursors.get(sink);
        if (c == null) {
            throw new IllegalArgumentException("unknown sink [" + sink + "]");
        }
        return c;
    }

    /** Forgets records every sink has consumed and deletes segments that hold nothing else. */
    private void prune() throws IOException {
        log.forgetBefore(cursors.values().stream().mapToLong(Long::longValue).min().orElse(nextSeq));
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("spool is closed [" + options.dir() + "]");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (cursorStore != null && !saveCursors()) {
            CursorProblem p = cursorStore.problem().orElseThrow();
            LOG.warning(() -> "spool closed with unsaved cursor files for sinks " + p.sinks() + " (" + p.reason()
                    + "): the next start sends again what they received since " + p.since());
        }
        closed = true;
        notifyAll();
        IOException first = log == null ? null : log.close();
        try {
            lock.release();
            lock.channel().close();
        } catch (IOException e) {
            first = first == null ? e : first;
        }
        if (first != null) {
            throw new UncheckedIOException("closing spool " + options.dir(), first);
        }
    }
}
