package dev.dynport.probe.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A durable, append-only event spool with one read cursor per sink (at-least-once delivery).
 *
 * <h2>On-disk format, version {@value #VERSION}</h2>
 * <pre>
 * DIR/lock                          held with an exclusive OS file lock while a spool is open
 * DIR/segments/NNNNNNNNNNNNNNNNNNNN.seg   NNN = sequence number of the segment's first record, 20 digits
 * DIR/cursors/SINK.cursor           next sequence number to deliver to sink SINK
 * DIR/quarantine/…                  corrupt bytes moved aside, each with a .reason text file
 *
 * segment  = header record*
 * header   = magic "DPSP" (0x44505350, int32 big-endian) | version int32 (1) | first sequence int64   (16 bytes)
 * record   = length int32 | sequence int64 | payload (length bytes, UTF-8 JSON of one event)
 *            | crc32 int32 over length, sequence and payload                                     (16 + length bytes)
 * cursor   = magic "DPCU" (0x44504355) | version int32 (1) | next sequence int64 | crc32 int32 of the first 16 bytes
 * </pre>
 *
 * <h2>Durability</h2>
 * <ul>
 *   <li>{@link #append} writes the record and calls {@code FileChannel.force} before it returns; the record's
 *       sequence number is one more than the last one ever used (sequence numbers survive restarts).</li>
 *   <li>Delivery is peek → send → {@link #advance}: the cursor file is replaced through a forced temp file and an
 *       atomic rename, so after a crash a sink at worst receives the last record again (never loses one).</li>
 *   <li>On open every segment is read and every record checked. A bad header moves the whole segment to
 *       {@code quarantine/}; a record with a bad CRC is quarantined and the next one tried; an implausible length
 *       or a truncated tail (a torn write after SIGKILL or power loss) quarantines the rest of the segment. The
 *       segment is then rewritten with its good records (temp file + rename), so earlier records are never lost
 *       and the same corruption is not reported twice. A corrupt cursor file is quarantined and its sink restarts
 *       at the oldest retained record (duplicates, not losses).</li>
 *   <li>Segments whose records every configured sink has consumed are deleted. Cursor files of sinks no longer
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

    public static final int VERSION = 1;
    static final int MAGIC = 0x44505350;
    static final int HEADER_BYTES = 16;
    static final int RECORD_OVERHEAD = 16;
    /** The largest payload accepted; events are a few KiB. */
    public static final int MAX_PAYLOAD_BYTES = 1 << 20;
    private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{20})\\.seg");

    /**
     * @param maxBytes cap on the on-disk bytes of undelivered records
     * @param maxRecords cap on the number of undelivered records
     * @param segmentBytes a new segment is started once the current one is at least this big
     */
    public record Options(Path dir, long maxBytes, long maxRecords, long segmentBytes) {
        public Options {
            if (maxBytes < RECORD_OVERHEAD + 1 || maxRecords < 1 || segmentBytes < HEADER_BYTES + RECORD_OVERHEAD) {
                throw new IllegalArgumentException("spool limits too small (maxBytes=" + maxBytes
                        + ", maxRecords=" + maxRecords + ", segmentBytes=" + segmentBytes + ")");
            }
        }
    }

    /** One stored record as handed to a sink. */
    public record Entry(long seq, byte[] payload) {
    }

    private static final class Segment {
        final long firstSeq;
        final Path path;
        final FileChannel channel;
        long size;
        long lastSeq = -1;

        Segment(long firstSeq, Path path, FileChannel channel, long size) {
            this.firstSeq = firstSeq;
            this.path = path;
            this.channel = channel;
            this.size = size;
        }
    }

    private record Loc(Segment segment, long offset, int length) {
        long diskBytes() {
            return (long) RECORD_OVERHEAD + length;
        }
    }

    private final Options options;
    private final Path segmentDir;
    private final Path quarantineDir;
    private Quarantine quarantine;
    private CursorStore cursorStore;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    /** Records at or after the slowest cursor: what is still owed to at least one sink. */
    private final TreeMap<Long, Loc> index = new TreeMap<>();
    private final Map<String, Long> cursors = new LinkedHashMap<>();
    private final Map<String, Long> dropped = new HashMap<>();
    private long indexBytes;
    private long nextSeq = 1;
    private long appended;
    private Segment active;
    private boolean closed;

    private Spool(Options options, FileChannel lockChannel, FileLock lock) {
        this.options = options;
        this.segmentDir = options.dir().resolve("segments");
        this.quarantineDir = options.dir().resolve("quarantine");
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (or creates) the spool, checks every segment and loads the cursors of {@code sinkNames}.
     *
     * @throws IOException when the directory cannot be used or another process holds the spool
     */
    public static Spool open(Options options, Collection<String> sinkNames) throws IOException {
        Path dir = options.dir();
        Files.createDirectories(dir);
        FileChannel lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("spool directory is in use by another agent [" + dir + "]");
        }
        Spool spool = new Spool(options, lockChannel, lock);
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
        Files.createDirectories(segmentDir);
        quarantine = new Quarantine(quarantineDir);
        cursorStore = new CursorStore(options.dir().resolve("cursors"), quarantine);
        Map<String, Long> loaded = new LinkedHashMap<>();
        for (String name : sinkNames) {
            loaded.put(name, cursorStore.read(name));
        }
        long maxSeq = 0;
        for (Path file : listSegmentFiles()) {
            long seq = scanSegment(file);
            maxSeq = Math.max(maxSeq, seq);
        }
        nextSeq = maxSeq + 1;
        for (Long c : loaded.values()) {
            if (c != null) {
                nextSeq = Math.max(nextSeq, c);
            }
        }
        // a sink whose cursor was corrupt restarts at the oldest record on disk (duplicates, not losses);
        // a new sink at the oldest record still owed to a known sink (or the oldest on disk if none is known)
        long oldestOnDisk = index.isEmpty() ? nextSeq : index.firstKey();
        long oldestOwed = loaded.values().stream().filter(c -> c != null).mapToLong(Long::longValue).min()
                .orElse(oldestOnDisk);
        Long firstOwed = index.ceilingKey(oldestOwed);
        long newSinkStart = firstOwed == null ? nextSeq : firstOwed;
        for (Map.Entry<String, Long> e : loaded.entrySet()) {
            boolean fresh = e.getValue() == null;
            long cursor = !fresh ? e.getValue() : cursorStore.wasCorrupt(e.getKey()) ? oldestOnDisk : newSinkStart;
            cursors.put(e.getKey(), cursor);
            if (fresh) {
                cursorStore.write(e.getKey(), cursor);
            }
        }
        prune();
        active = createSegment(nextSeq);
        LOG.info(() -> String.format(Locale.ROOT,
                "spool opened at %s: %d undelivered records (%d bytes), next sequence %d", options.dir(), index.size(),
                indexBytes, nextSeq));
    }

    private List<Path> listSegmentFiles() throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(segmentDir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                Matcher m = SEGMENT_NAME.matcher(name);
                if (m.matches()) {
                    files.put(Long.parseLong(m.group(1)), p);
                } else if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(p); // an interrupted rewrite; the original is still in place
                } else {
                    quarantine.file(p, "unexpected file in the segment directory");
                }
            }
        }
        return new ArrayList<>(files.values());
    }

    /** Checks one segment, quarantines what is bad, indexes the good records; returns its highest sequence. */
    private long scanSegment(Path file) throws IOException {
        long nameSeq = Long.parseLong(file.getFileName().toString().substring(0, 20));
        byte[] bytes = Files.readAllBytes(file);
        SegmentScan scan = SegmentScan.of(file, nameSeq, bytes, quarantine);
        if (scan == null) {
            quarantine.file(file, SegmentScan.headerProblem(bytes));
            return nameSeq - 1;
        }
        if (scan.good().isEmpty()) {
            Files.delete(file);
            SpoolIo.forceDirectory(segmentDir);
            return Math.max(nameSeq - 1, scan.lastSeq());
        }
        if (scan.changed()) {
            rewriteSegment(file, nameSeq, bytes, scan.good());
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        Segment seg = new Segment(nameSeq, file, ch, ch.size());
        long offset = HEADER_BYTES;
        for (long[] g : scan.good()) {
            index.put(g[2], new Loc(seg, offset, (int) g[1]));
            indexBytes += RECORD_OVERHEAD + g[1];
            offset += RECORD_OVERHEAD + g[1];
        }
        seg.lastSeq = scan.lastSeq();
        segments.put(nameSeq, seg);
        return scan.lastSeq();
    }

    private void rewriteSegment(Path file, long firstSeq, byte[] bytes, List<long[]> good) throws IOException {
        List<ByteBuffer> parts = new ArrayList<>();
        parts.add(header(firstSeq));
        for (long[] g : good) {
            parts.add(ByteBuffer.wrap(bytes, (int) g[0], (int) (RECORD_OVERHEAD + g[1])));
        }
        SpoolIo.replace(file, parts.toArray(new ByteBuffer[0]));
    }

    // ---------------------------------------------------------------- append

    /** Writes one record and forces it to disk; returns its sequence number. */
    public synchronized long append(byte[] payload) throws IOException {
        ensureOpen();
        if (payload.length > MAX_PAYLOAD_BYTES || payload.length + RECORD_OVERHEAD > options.maxBytes()) {
            throw new IOException("event too large for the spool (" + payload.length + " bytes, max "
                    + Math.min(MAX_PAYLOAD_BYTES, options.maxBytes() - RECORD_OVERHEAD) + ")");
        }
        long recordBytes = (long) RECORD_OVERHEAD + payload.length;
        enforceCap(recordBytes);
        if (active.size + recordBytes > options.segmentBytes() && active.lastSeq >= 0) {
            active.channel.force(true);
            active = createSegment(nextSeq);
        }
        long seq = nextSeq;
        ByteBuffer rec = ByteBuffer.allocate((int) recordBytes);
        rec.putInt(payload.length).putLong(seq).put(payload);
        rec.putInt(SpoolIo.crc(rec.array(), 0, 12 + payload.length));
        rec.flip();
        long offset = active.size;
        try {
            while (rec.hasRemaining()) {
                active.channel.write(rec, offset + rec.position());
            }
            active.channel.force(false);
        } catch (IOException e) {
            try {
                active.channel.truncate(offset); // keep the segment parseable (e.g. disk full)
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        active.size = offset + recordBytes;
        active.lastSeq = seq;
        index.put(seq, new Loc(active, offset, payload.length));
        indexBytes += recordBytes;
        nextSeq = seq + 1;
        appended++;
        notifyAll();
        return seq;
    }

    private void enforceCap(long incoming) throws IOException {
        Map<String, long[]> dropsBySink = new LinkedHashMap<>(); // sink -> {count, firstSeq, lastSeq}
        while (!index.isEmpty()
                && (index.size() + 1 > options.maxRecords() || indexBytes + incoming > options.maxBytes())) {
            Map.Entry<Long, Loc> oldest = index.firstEntry();
            long seq = oldest.getKey();
            for (Map.Entry<String, Long> c : cursors.entrySet()) {
                if (c.getValue() <= seq) {
                    c.setValue(seq + 1);
                    dropped.merge(c.getKey(), 1L, Long::sum);
                    long[] d = dropsBySink.computeIfAbsent(c.getKey(), k -> new long[] {0, seq, seq});
                    d[0]++;
                    d[2] = seq;
                }
            }
            index.pollFirstEntry();
            indexBytes -= oldest.getValue().diskBytes();
        }
        for (Map.Entry<String, long[]> d : dropsBySink.entrySet()) {
            cursorStore.write(d.getKey(), cursors.get(d.getKey()));
            long[] v = d.getValue();
            LOG.warning(String.format(Locale.ROOT,
                    "spool full (records=%d/%d, bytes=%d/%d): dropped %d oldest undelivered event(s) for sink [%s] "
                            + "(sequence %d..%d); %d dropped for this sink since start",
                    index.size(), options.maxRecords(), indexBytes, options.maxBytes(), v[0], d.getKey(), v[1], v[2],
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
        Long cursor = cursorOf(sink);
        while (true) {
            Map.Entry<Long, Loc> e = index.ceilingEntry(cursor);
            if (e == null) {
                return Optional.empty();
            }
            Loc loc = e.getValue();
            ByteBuffer rec = ByteBuffer.allocate((int) loc.diskBytes());
            while (rec.hasRemaining()) {
                if (loc.segment().channel.read(rec, loc.offset() + rec.position()) < 0) {
                    break;
                }
            }
            byte[] bytes = rec.array();
            if (!rec.hasRemaining() && rec.getInt(0) == loc.length() && rec.getLong(4) == e.getKey()
                    && SpoolIo.crc(bytes, 0, 12 + loc.length()) == rec.getInt(bytes.length - 4)) {
                byte[] payload = new byte[loc.length()];
                System.arraycopy(bytes, 12, payload, 0, payload.length);
                return Optional.of(new Entry(e.getKey(), payload));
            }
            quarantine.bytes(loc.segment().path, bytes, 0, rec.position(), "record " + e.getKey()
                    + " failed its CRC when read for delivery");
            index.remove(e.getKey());
            indexBytes -= loc.diskBytes();
        }
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

    /** Moves {@code sink}'s cursor past {@code seq} (never backwards) and durably records it. */
    public synchronized void advance(String sink, long seq) throws IOException {
        ensureOpen();
        long cursor = cursorOf(sink);
        if (seq < cursor) {
            return; // already dropped or advanced past it
        }
        cursorStore.write(sink, seq + 1);
        cursors.put(sink, seq + 1);
        prune();
        notifyAll();
    }

    /** Moves {@code sink}'s cursor past a record whose payload cannot be decoded, counting it as quarantined. */
    public synchronized void quarantinePayload(String sink, Entry entry, String reason) throws IOException {
        quarantine.payload(entry.seq(), sink, entry.payload(), reason);
        advance(sink, entry.seq());
    }

    /** Waits until every sink's cursor is past the last record; false on timeout. */
    public synchronized boolean awaitDrained(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            boolean drained = cursors.values().stream().allMatch(c -> index.ceilingKey(c) == null);
            long left = deadline - System.nanoTime();
            if (drained || left <= 0 || closed) {
                return drained;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    // ---------------------------------------------------------------- figures

    public synchronized long depth(String sink) {
        return index.tailMap(cursorOf(sink), true).size();
    }

    public synchronized long depthBytes(String sink) {
        long sum = 0;
        for (Loc l : index.tailMap(cursorOf(sink), true).values()) {
            sum += l.diskBytes();
        }
        return sum;
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
        return segments.size();
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
        long min = cursors.values().stream().mapToLong(Long::longValue).min().orElse(nextSeq);
        NavigableMap<Long, Loc> done = index.headMap(min, false);
        for (Loc l : done.values()) {
            indexBytes -= l.diskBytes();
        }
        done.clear();
        boolean deleted = false;
        for (var it = segments.values().iterator(); it.hasNext();) {
            Segment s = it.next();
            if (s != active && s.lastSeq < min) {
                s.channel.close();
                Files.deleteIfExists(s.path);
                it.remove();
                deleted = true;
            }
        }
        if (deleted) {
            SpoolIo.forceDirectory(segmentDir);
        }
    }

    private Segment createSegment(long firstSeq) throws IOException {
        Path path = segmentDir.resolve(String.format(Locale.ROOT, "%020d.seg", firstSeq));
        Segment existing = segments.get(firstSeq);
        if (existing != null) {
            // only possible for an empty active segment: nothing was appended since it was created
            return existing;
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        SpoolIo.writeFully(ch, header(firstSeq));
        ch.force(true);
        SpoolIo.forceDirectory(segmentDir);
        Segment s = new Segment(firstSeq, path, ch, HEADER_BYTES);
        segments.put(firstSeq, s);
        return s;
    }

    private static ByteBuffer header(long firstSeq) {
        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES);
        h.putInt(MAGIC).putInt(VERSION).putLong(firstSeq).flip();
        return h;
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
        closed = true;
        notifyAll();
        IOException first = null;
        for (Segment s : segments.values()) {
            try {
                s.channel.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        try {
            if (lock != null) {
                lock.release();
            }
            lockChannel.close();
        } catch (IOException e) {
            first = first == null ? e : first;
        }
        if (first != null) {
            throw new UncheckedIOException("closing spool " + options.dir(), first);
        }
    }
}
