package dev.dynport.probe.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.regex.Matcher;

/**
 * {@code DIR/segments/}: the segment files (format in {@link SpoolFormat}) and the index of the records still owed
 * to at least one sink. Knows nothing of sinks or caps: the {@link Spool} decides what to append, drop and forget.
 * Not thread-safe: the spool calls it under its own lock.
 */
final class SegmentLog {
    private static final Logger LOG = Logger.getLogger(SegmentLog.class.getName());

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
            return (long) SpoolFormat.RECORD_OVERHEAD + length;
        }
    }

    private final Path dir;
    private final SpoolIo io;
    private final Quarantine quarantine;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    /** Records at or after the slowest cursor: what is still owed to at least one sink. */
    private final TreeMap<Long, Loc> index = new TreeMap<>();
    private long indexBytes;
    /** Null until the first append after open: opening must not need free space. */
    private Segment active;
    /** The newest segment when it was found holding only its header: the first append goes there. */
    private Segment reusable;

    SegmentLog(Path dir, SpoolIo io, Quarantine quarantine) {
        this.dir = dir;
        this.io = io;
        this.quarantine = quarantine;
    }

    // ---------------------------------------------------------------- recovery

    /**
     * Checks every segment file, quarantines what is bad, indexes the good records; returns the highest sequence
     * number the segment files prove was used (by a record or by a segment's name), 0 for none. The newest
     * segment is never deleted here or by {@link #forgetBefore}, so this survives restarts when all is consumed.
     */
    long load() throws IOException {
        long reserved = 0;
        List<Path> files = listSegmentFiles();
        for (int i = 0; i < files.size(); i++) {
            reserved = Math.max(reserved, scanSegment(files.get(i), i == files.size() - 1));
        }
        return reserved;
    }

    private List<Path> listSegmentFiles() throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return List.of(); // could not be created (disk full): created with the first segment
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                Matcher m = SpoolFormat.SEGMENT_NAME.matcher(name);
                Long seq = m.matches() ? parseSeq(m.group(1)) : null;
                if (seq != null && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    files.put(seq, p);
                } else if (seq != null) {
                    // Not made by the agent and cannot hold records. Moved aside like any stray entry rather
                    // than refusing to start: an agent that does not start watches nothing.
                    quarantine.file(p, "not a regular file (" + kind(p) + ") but named like a segment");
                } else if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(p); // an interrupted rewrite; the original is still in place
                } else {
                    quarantine.file(p, "unexpected " + kind(p) + " in the segment directory");
                }
            }
        }
        return new ArrayList<>(files.values());
    }

    private static Long parseSeq(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return null; // 20 digits beyond Long.MAX_VALUE: no sequence the agent can have written
        }
    }

    private static String kind(Path p) {
        return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "a directory"
                : Files.isSymbolicLink(p) ? "a symbolic link"
                : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? "a file" : "a special file";
    }

    /** Checks one segment, quarantines what is bad, indexes the good records; returns what it proves was used. */
    private long scanSegment(Path file, boolean newest) throws IOException {
        long nameSeq = SpoolFormat.segmentFirstSeq(file.getFileName().toString());
        byte[] bytes = Files.readAllBytes(file);
        if (SpoolFormat.isUnwrittenHeader(bytes, nameSeq)) {
            // a stop between creating the file and forcing its header: nothing was ever in it
            Files.delete(file);
            SpoolIo.forceDirectory(dir);
            LOG.info(() -> "spool: removed " + file + " (" + bytes.length + " bytes: created, never written)");
            return nameSeq - 1;
        }
        SegmentScan scan = SegmentScan.of(file, nameSeq, bytes, quarantine);
        if (scan == null) {
            // left in place (disk full): its name stays taken, so the next segment must start after it
            return quarantine.file(file, SpoolFormat.headerProblem(bytes)) ? nameSeq - 1 : nameSeq;
        }
        boolean rewritten = scan.changed() && scan.preserved() && rewriteSegment(file, nameSeq, scan.good(), bytes);
        boolean clean = rewritten || !scan.changed();
        long reserved = Math.max(nameSeq - 1, scan.lastSeq());
        if (scan.good().isEmpty() && clean && !newest) {
            Files.delete(file);
            SpoolIo.forceDirectory(dir);
            return reserved;
        }
        boolean reuse = newest && clean && scan.good().isEmpty();
        FileChannel ch = io.open(file, reuse ? Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE)
                : Set.of(StandardOpenOption.READ));
        Segment seg;
        try {
            seg = new Segment(nameSeq, file, ch, ch.size());
        } catch (IOException | RuntimeException e) {
            closeAfter(ch, e); // not yet in segments, so close() would never see it
            throw e;
        }
        long offset = SpoolFormat.HEADER_BYTES;
        for (long[] g : scan.good()) {
            long at = rewritten ? offset : g[0];
            index.put(g[2], new Loc(seg, at, (int) g[1]));
            indexBytes += SpoolFormat.RECORD_OVERHEAD + g[1];
            offset += SpoolFormat.RECORD_OVERHEAD + g[1];
        }
        seg.lastSeq = scan.good().isEmpty() ? -1 : scan.lastSeq();
        segments.put(nameSeq, seg);
        if (reuse) {
            reusable = seg;
        }
        return scan.good().isEmpty() && !clean ? Math.max(reserved, nameSeq) : reserved;
    }

    /** False when the rewrite failed (disk full): the segment is then used as it is, bad spans skipped. */
    private boolean rewriteSegment(Path file, long firstSeq, List<long[]> good, byte[] bytes) {
        List<ByteBuffer> parts = new ArrayList<>();
        parts.add(SpoolFormat.header(firstSeq));
        for (long[] g : good) {
            parts.add(ByteBuffer.wrap(bytes, (int) g[0], (int) (SpoolFormat.RECORD_OVERHEAD + g[1])));
        }
        try {
            io.replace(file, parts.toArray(new ByteBuffer[0]));
            return true;
        } catch (IOException e) {
            LOG.warning(() -> "spool: could not rewrite " + file + " without its quarantined bytes ("
                    + SpoolIo.describe(e) + "); its good records are used from the file as it is");
            return false;
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes one record to the active segment (starting a new one once the active one would pass
     * {@code segmentBytes}, or on the first append after open) and forces it to disk. On failure the segment is
     * truncated back so it stays parseable, and nothing is indexed.
     */
    void append(long seq, byte[] payload, long segmentBytes) throws IOException {
        long recordBytes = (long) SpoolFormat.RECORD_OVERHEAD + payload.length;
        if (active == null) {
            active = reusable != null && reusable.firstSeq == seq ? reusable : createSegment(seq);
            reusable = null;
        } else if (active.size + recordBytes > segmentBytes && active.lastSeq >= 0) {
            io.force(active.path, active.channel, true);
            active = createSegment(seq);
        }
        ByteBuffer rec = SpoolFormat.record(seq, payload);
        long offset = active.size;
        try {
            io.write(active.path, active.channel, rec, offset);
            io.force(active.path, active.channel, false);
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
    }

    /** A new segment file with its header, forced; on failure no file is left behind to block the next try. */
    private Segment createSegment(long firstSeq) throws IOException {
        Path path = dir.resolve(SpoolFormat.segmentName(firstSeq));
        io.createDirectories(dir);
        FileChannel ch = io.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE));
        try {
            io.write(path, ch, SpoolFormat.header(firstSeq), 0);
            io.force(path, ch, true);
        } catch (IOException | RuntimeException e) {
            // Closed first and on its own: a failing close must neither leak the channel nor keep the file.
            closeAfter(ch, e);
            try {
                Files.deleteIfExists(path);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        SpoolIo.forceDirectory(dir);
        Segment s = new Segment(firstSeq, path, ch, SpoolFormat.HEADER_BYTES);
        segments.put(firstSeq, s);
        return s;
    }

    // ---------------------------------------------------------------- reading

    /**
     * The first indexed record at or after {@code fromSeq}, re-checked against its CRC; a record failing the check
     * is quarantined, forgotten and the next one tried.
     */
    Optional<Spool.Entry> next(long fromSeq) throws IOException {
        while (true) {
            Map.Entry<Long, Loc> e = index.ceilingEntry(fromSeq);
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
            byte[] payload = SpoolFormat.payloadIfIntact(rec, e.getKey(), loc.length());
            if (payload != null) {
                return Optional.of(new Spool.Entry(e.getKey(), payload));
            }
            quarantine.bytes(loc.segment().path, rec.array(), 0, rec.position(), "record " + e.getKey()
                    + " failed its CRC when read for delivery");
            index.remove(e.getKey());
            indexBytes -= loc.diskBytes();
        }
    }

    boolean isEmpty() {
        return index.isEmpty();
    }

    /** The number of indexed records. */
    int size() {
        return index.size();
    }

    /** The on-disk bytes of the indexed records. */
    long bytes() {
        return indexBytes;
    }

    /** The lowest indexed sequence; the log must not be empty. */
    long oldest() {
        return index.firstKey();
    }

    /** The lowest indexed sequence at or after {@code seq}, or null. */
    Long ceiling(long seq) {
        return index.ceilingKey(seq);
    }

    /** How many indexed records are at or after {@code seq}. */
    long countFrom(long seq) {
        return index.tailMap(seq, true).size();
    }

    /** The on-disk bytes of the indexed records at or after {@code seq}. */
    long bytesFrom(long seq) {
        long sum = 0;
        for (Loc l : index.tailMap(seq, true).values()) {
            sum += l.diskBytes();
        }
        return sum;
    }

    int segmentCount() {
        return segments.size();
    }

    // ---------------------------------------------------------------- forgetting

    /** Forgets the oldest indexed record (the cap dropped it); the log must not be empty. */
    void dropOldest() {
        Map.Entry<Long, Loc> oldest = index.pollFirstEntry();
        indexBytes -= oldest.getValue().diskBytes();
    }

    /**
     * Forgets records before {@code min} and deletes the segments that hold nothing else, but never the active
     * and never the newest one: its name and records are the spool's memory of the last sequence number used.
     */
    void forgetBefore(long min) throws IOException {
        NavigableMap<Long, Loc> done = index.headMap(min, false);
        for (Loc l : done.values()) {
            indexBytes -= l.diskBytes();
        }
        done.clear();
        boolean deleted = false;
        Long newest = segments.isEmpty() ? null : segments.lastKey();
        for (var it = segments.values().iterator(); it.hasNext();) {
            Segment s = it.next();
            if (s != active && s.lastSeq < min && s.firstSeq != newest) {
                s.channel.close();
                Files.deleteIfExists(s.path);
                it.remove();
                deleted = true;
            }
        }
        if (deleted) {
            SpoolIo.forceDirectory(dir);
        }
    }

    private static void closeAfter(FileChannel ch, Exception cause) {
        try {
            ch.close();
        } catch (IOException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    /** Closes every segment channel; returns the first failure (the others are dropped), or null. */
    IOException close() {
        IOException first = null;
        for (Segment s : segments.values()) {
            try {
                s.channel.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        return first;
    }
}
