package dev.dynport.probe.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;

/**
 * {@code DIR/segments/}: the segment files (format in {@link SpoolFormat}) and the index of the records still owed
 * to at least one sink. Knows nothing of sinks or caps: the {@link Spool} decides what to append, drop and forget.
 * Not thread-safe: the spool calls it under its own lock.
 */
final class SegmentLog {
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
    private final Quarantine quarantine;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    /** Records at or after the slowest cursor: what is still owed to at least one sink. */
    private final TreeMap<Long, Loc> index = new TreeMap<>();
    private long indexBytes;
    private Segment active;

    SegmentLog(Path dir, Quarantine quarantine) {
        this.dir = dir;
        this.quarantine = quarantine;
    }

    // ---------------------------------------------------------------- recovery

    /** Checks every segment file, quarantines what is bad, indexes the good records; returns the highest sequence. */
    long load() throws IOException {
        long maxSeq = 0;
        for (Path file : listSegmentFiles()) {
            long seq = scanSegment(file);
            maxSeq = Math.max(maxSeq, seq);
        }
        return maxSeq;
    }

    private List<Path> listSegmentFiles() throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                Matcher m = SpoolFormat.SEGMENT_NAME.matcher(name);
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
        long nameSeq = SpoolFormat.segmentFirstSeq(file.getFileName().toString());
        byte[] bytes = Files.readAllBytes(file);
        SegmentScan scan = SegmentScan.of(file, nameSeq, bytes, quarantine);
        if (scan == null) {
            quarantine.file(file, SpoolFormat.headerProblem(bytes));
            return nameSeq - 1;
        }
        if (scan.good().isEmpty()) {
            Files.delete(file);
            SpoolIo.forceDirectory(dir);
            return Math.max(nameSeq - 1, scan.lastSeq());
        }
        if (scan.changed()) {
            rewriteSegment(file, nameSeq, bytes, scan.good());
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        Segment seg = new Segment(nameSeq, file, ch, ch.size());
        long offset = SpoolFormat.HEADER_BYTES;
        for (long[] g : scan.good()) {
            index.put(g[2], new Loc(seg, offset, (int) g[1]));
            indexBytes += SpoolFormat.RECORD_OVERHEAD + g[1];
            offset += SpoolFormat.RECORD_OVERHEAD + g[1];
        }
        seg.lastSeq = scan.lastSeq();
        segments.put(nameSeq, seg);
        return scan.lastSeq();
    }

    private void rewriteSegment(Path file, long firstSeq, byte[] bytes, List<long[]> good) throws IOException {
        List<ByteBuffer> parts = new ArrayList<>();
        parts.add(SpoolFormat.header(firstSeq));
        for (long[] g : good) {
            parts.add(ByteBuffer.wrap(bytes, (int) g[0], (int) (SpoolFormat.RECORD_OVERHEAD + g[1])));
        }
        SpoolIo.replace(file, parts.toArray(new ByteBuffer[0]));
    }

    // ---------------------------------------------------------------- writing

    /** Makes a new (or the still empty) segment starting at {@code firstSeq} the one appended to. */
    void startSegment(long firstSeq) throws IOException {
        active = createSegment(firstSeq);
    }

    /**
     * Writes one record to the active segment (starting a new one once the active one would pass
     * {@code segmentBytes}) and forces it to disk. On failure the segment is truncated back so it stays parseable.
     */
    void append(long seq, byte[] payload, long segmentBytes) throws IOException {
        long recordBytes = (long) SpoolFormat.RECORD_OVERHEAD + payload.length;
        if (active.size + recordBytes > segmentBytes && active.lastSeq >= 0) {
            active.channel.force(true);
            active = createSegment(seq);
        }
        ByteBuffer rec = SpoolFormat.record(seq, payload);
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
    }

    private Segment createSegment(long firstSeq) throws IOException {
        Path path = dir.resolve(SpoolFormat.segmentName(firstSeq));
        Segment existing = segments.get(firstSeq);
        if (existing != null) {
            // only possible for an empty active segment: nothing was appended since it was created
            return existing;
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        SpoolIo.writeFully(ch, SpoolFormat.header(firstSeq));
        ch.force(true);
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

    /** Forgets records before {@code min} and deletes the segments (but the active one) that hold nothing else. */
    void forgetBefore(long min) throws IOException {
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
            SpoolIo.forceDirectory(dir);
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
